-- Administration without SQL, for leads: contacts, contracts, temporary level raises, opening
-- hours and holidays through lead-only API functions (TK005 for everyone else), and every change
-- of those tables (by the API or a DBA's raw SQL alike) in the append-only tuki.admin_audit.
-- Deadlines follow by the triggers that own them: sql/004 rebuilds tuki.calendar_open when hours
-- or holidays change (and sql/010 then moves the active tickets' deadlines); sql/010 moves active
-- tickets when a contract's level, raise or calendar changes.
SET LOCAL ROLE tuki_owner;

CREATE TABLE tuki.admin_audit (
    id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at     timestamptz NOT NULL DEFAULT tuki.now(),
    actor  text NOT NULL DEFAULT tuki.actor(),
    object text NOT NULL,
    action text NOT NULL CHECK (action IN ('add', 'change', 'remove')),
    old    jsonb,
    new    jsonb
);
CREATE INDEX admin_audit_at ON tuki.admin_audit (at DESC, id DESC);
COMMENT ON TABLE tuki.admin_audit IS 'Every change of contacts, contracts (raises included), opening hours and holidays, whoever made it (the lead API or raw SQL): who, when, what, before and after. Written by trigger tuki.admin_audit_record; append-only (TK002). The console''s audit command reads it (tuki.admin_audit_text).';
COMMENT ON COLUMN tuki.admin_audit.id IS 'Order of the changes.';
COMMENT ON COLUMN tuki.admin_audit.at IS 'When (tuki.now()).';
COMMENT ON COLUMN tuki.admin_audit.actor IS 'Who (tuki.actor(): the login of the session).';
COMMENT ON COLUMN tuki.admin_audit.object IS 'What, e.g. "contact 12", "contract 3", "hours fi-8-16 Mon", "holiday fi-8-16 2027-12-24".';
COMMENT ON COLUMN tuki.admin_audit.action IS 'add, change or remove.';
COMMENT ON COLUMN tuki.admin_audit.old IS 'The row before (null for add).';
COMMENT ON COLUMN tuki.admin_audit.new IS 'The row after (null for remove).';

CREATE TRIGGER admin_audit_no_change BEFORE UPDATE OR DELETE ON tuki.admin_audit
    FOR EACH ROW EXECUTE FUNCTION tuki.history_refuse();
CREATE TRIGGER admin_audit_no_truncate BEFORE TRUNCATE ON tuki.admin_audit
    FOR EACH STATEMENT EXECUTE FUNCTION tuki.history_refuse();
ALTER TABLE tuki.admin_audit ENABLE ALWAYS TRIGGER admin_audit_no_change;
ALTER TABLE tuki.admin_audit ENABLE ALWAYS TRIGGER admin_audit_no_truncate;
COMMENT ON TRIGGER admin_audit_no_change ON tuki.admin_audit IS 'The audit is append-only (TK002), even with session_replication_role = replica.';
COMMENT ON TRIGGER admin_audit_no_truncate ON tuki.admin_audit IS 'The audit cannot be truncated (TK002), even with session_replication_role = replica.';

CREATE FUNCTION tuki.admin_audit_record() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
    object text;
BEGIN
    object := CASE TG_TABLE_NAME
        WHEN 'contact' THEN format('contact %s', r->>'id')
        WHEN 'contract' THEN format('contract %s', r->>'id')
        WHEN 'calendar_hours' THEN format('hours %s %s', r->>'calendar',
                                          (ARRAY['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'])[(r->>'isodow')::int])
        WHEN 'holiday' THEN format('holiday %s %s', r->>'calendar', r->>'day')
    END;
    IF TG_OP = 'UPDATE' AND to_jsonb(OLD) = to_jsonb(NEW) THEN
        RETURN NULL;                    -- nothing changed: nothing to record
    END IF;
    INSERT INTO tuki.admin_audit (object, action, old, new)
    VALUES (object, CASE TG_OP WHEN 'INSERT' THEN 'add' WHEN 'UPDATE' THEN 'change' ELSE 'remove' END,
            CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END, CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION tuki.admin_audit_record() IS 'Trigger on contact, contract, calendar_hours and holiday: records each added, changed or removed row in tuki.admin_audit (an update that changes nothing is not recorded).';

DO $$
DECLARE
    tbl text;
BEGIN
    FOREACH tbl IN ARRAY ARRAY['contact', 'contract', 'calendar_hours', 'holiday'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON tuki.%I
                        FOR EACH ROW EXECUTE FUNCTION tuki.admin_audit_record()', tbl || '_audit', tbl);
        EXECUTE format('ALTER TABLE tuki.%I ENABLE ALWAYS TRIGGER %I', tbl, tbl || '_audit');
        EXECUTE format('COMMENT ON TRIGGER %I ON tuki.%I IS %L', tbl || '_audit', tbl,
                       'Every change is recorded in tuki.admin_audit, even with session_replication_role = replica.');
    END LOOP;
END
$$;

CREATE FUNCTION tuki.admin_audit_text(a tuki.admin_audit) RETURNS text
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
    -- a change names only the fields that changed; an add or remove shows the whole row
    SELECT format('%s  %s  %s %s: %s', to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), a.actor, a.object,
                  CASE a.action WHEN 'add' THEN 'added' WHEN 'change' THEN 'changed' ELSE 'removed' END,
                  coalesce((SELECT string_agg(CASE a.action
                                                  WHEN 'change' THEN format('%s %s → %s', k, coalesce(a.old->>k, '-'), coalesce(a.new->>k, '-'))
                                                  ELSE format('%s %s', k, coalesce(coalesce(a.new, a.old)->>k, '-')) END,
                                              ', ' ORDER BY k)
                              FROM jsonb_each(coalesce(a.new, a.old)) AS e(k, v)
                             WHERE k NOT IN ('id', 'calendar', 'isodow', 'day')
                               AND (a.action <> 'change' OR a.old->k IS DISTINCT FROM a.new->k)), '-'))
$$;
COMMENT ON FUNCTION tuki.admin_audit_text(tuki.admin_audit) IS 'One readable line of an audit row (times in UTC): "2027-12-01 09:12  lauri  contract 3 changed: raise_from - → 2027-12-06, raise_level - → premium, ... (fields in alphabetical order)". Used by the console''s audit command; SELECT tuki.admin_audit_text(a) FROM tuki.admin_audit a ORDER BY id DESC reads the same in psql.';

CREATE FUNCTION tuki.require_lead(what text) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT tuki.actor_is_lead() THEN
        PERFORM tuki.fail('TK005', format('only a lead may %s', what),
            'Contacts, contracts, raises, opening hours and holidays are changed by leads (and administrators).',
            'Ask a team lead.');
    END IF;
    RETURN tuki.actor();
END
$$;
COMMENT ON FUNCTION tuki.require_lead(text) IS 'Returns tuki.actor() when it is an active lead or an administrator (tuki.actor_is_lead); TK005 "only a lead may WHAT" otherwise.';

-- Contacts.
CREATE FUNCTION tuki.contact_check(c tuki.contact) RETURNS void
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    other tuki.contact;
BEGIN
    PERFORM tuki.check_text('contact name', c.name, NULL);
    IF c.email IS NOT NULL AND c.email !~ '^[^@[:space:]]+@[^@[:space:]]+$' THEN
        PERFORM tuki.fail('TK006', format('invalid e-mail address %L', c.email),
            'An address is NAME@DOMAIN without spaces.', 'Check the address.');
    END IF;
    SELECT * INTO other FROM tuki.contact o
     WHERE o.customer = c.customer AND lower(o.email) = lower(c.email) AND o.id IS DISTINCT FROM c.id;
    IF FOUND THEN
        PERFORM tuki.fail('TK006', format('%s is already the address of contact %s (%s) of %s', c.email, other.id, other.name, c.customer),
            'An e-mail address names one contact of a customer.',
            format('Change that contact instead: contact set %s ...', other.id));
    END IF;
    IF c.language IS NOT NULL AND c.language NOT IN ('fi', 'sk', 'en') THEN
        PERFORM tuki.fail('TK006', format('unknown language %L', c.language),
            'Known languages: fi, sk, en.', 'Leave it empty for the customer''s language.');
    END IF;
    IF c.login IS NOT NULL THEN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = c.login) THEN
            PERFORM tuki.fail('TK006', format('role %s does not exist', c.login),
                'A contact who logs in has a PostgreSQL login role of their own.',
                format('Ask a DBA: CREATE ROLE %I LOGIN;', c.login));
        END IF;
        IF c.login LIKE 'tuki\_%' OR c.login LIKE 'pg\_%'
           OR EXISTS (SELECT 1 FROM pg_roles WHERE rolname = c.login AND (rolsuper OR NOT rolcanlogin))
           OR pg_has_role(c.login, 'tuki_owner', 'MEMBER')
           OR EXISTS (SELECT 1 FROM tuki.agent a WHERE a.login = c.login)
           OR pg_has_role(c.login, 'tuki_agent', 'MEMBER') OR pg_has_role(c.login, 'tuki_readonly', 'MEMBER') THEN
            PERFORM tuki.fail('TK006', format('%s is an agent, administrator or group role, not a contact''s login', c.login),
                'A login is either an agent or a customer contact.', 'Give the contact a login role of their own.');
        END IF;
        SELECT * INTO other FROM tuki.contact o WHERE o.login = c.login AND o.id IS DISTINCT FROM c.id;
        IF FOUND THEN
            PERFORM tuki.fail('TK006', format('login %s is already contact %s (%s) of %s', c.login, other.id, other.name, other.customer),
                'A login belongs to one contact.', format('Take it from the other first: contact set %s login -', other.id));
        END IF;
    END IF;
END
$$;
COMMENT ON FUNCTION tuki.contact_check(tuki.contact) IS 'The rules of a contact that the lead API checks with a clear TK006 before writing: a name, a valid and (within the customer) unused e-mail address, a known language, and a login that exists, is no agent, administrator or group role and is no other contact''s.';

CREATE FUNCTION tuki.contact_grant_login(old_login text, new_login text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF old_login IS NOT NULL AND old_login IS DISTINCT FROM new_login
       AND NOT EXISTS (SELECT 1 FROM tuki.contact c WHERE c.login = old_login)
       AND EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member
                    WHERE m.roleid = 'tuki_customer'::regrole AND r.rolname = old_login) THEN
        EXECUTE format('REVOKE tuki_customer FROM %I', old_login);
    END IF;
    IF new_login IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member
                        WHERE m.roleid = 'tuki_customer'::regrole AND r.rolname = new_login) THEN
        EXECUTE format('GRANT tuki_customer TO %I', new_login);
    END IF;
END
$$;
COMMENT ON FUNCTION tuki.contact_grant_login(text, text) IS 'Keeps tuki_customer with the logins of contacts: grants it to a contact''s new login and revokes it from a login no contact uses any more.';

CREATE FUNCTION tuki.contact_add(customer text, name text, email text DEFAULT NULL, phone text DEFAULT NULL,
                                 language text DEFAULT NULL, may_order_billable boolean DEFAULT false,
                                 login text DEFAULT NULL) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    c tuki.contact;
BEGIN
    PERFORM tuki.require_lead('add contacts');
    PERFORM tuki.check_code('customer', contact_add.customer, 'tuki.customer');
    c.customer := contact_add.customer;
    c.name := contact_add.name;           -- free text: stored as given (blank is refused)
    c.email := nullif(btrim(contact_add.email), '');
    c.phone := CASE WHEN NOT tuki.is_blank(contact_add.phone) THEN contact_add.phone END;
    c.language := nullif(btrim(contact_add.language), '');
    c.may_order_billable := coalesce(contact_add.may_order_billable, false);
    c.login := nullif(btrim(contact_add.login), '');
    c.active := true;
    PERFORM tuki.contact_check(c);
    INSERT INTO tuki.contact (customer, name, email, phone, language, may_order_billable, login, active)
    VALUES (c.customer, c.name, c.email, c.phone, c.language, c.may_order_billable, c.login, true)
    RETURNING id INTO c.id;
    PERFORM tuki.contact_grant_login(NULL, c.login);
    RETURN c.id;
END
$$;
COMMENT ON FUNCTION tuki.contact_add(text, text, text, text, text, boolean, text) IS 'Leads: adds a named contact to a customer and returns its number; a login is granted tuki_customer. TK005 for others; TK006 for an unknown customer or a contact tuki.contact_check refuses (duplicate e-mail, unknown login ...).';

CREATE FUNCTION tuki.contact_set(id bigint, field text, value text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    c tuki.contact;
    old_login text;
    v text := nullif(btrim(contact_set.value), '');
BEGIN
    PERFORM tuki.require_lead('change contacts');
    SELECT * INTO c FROM tuki.contact WHERE id = contact_set.id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM tuki.fail('TK006', format('no contact %s', contact_set.id),
            'There is no contact with that number.', 'contact list CUSTOMER shows the numbers.');
    END IF;
    old_login := c.login;
    CASE contact_set.field
        WHEN 'name' THEN c.name := contact_set.value;     -- free text, as given

        WHEN 'email' THEN c.email := v;
        WHEN 'phone' THEN c.phone := CASE WHEN NOT tuki.is_blank(contact_set.value) THEN contact_set.value END;
        WHEN 'language' THEN c.language := v;
        WHEN 'login' THEN c.login := v;
        WHEN 'billable' THEN
            IF v IS NULL OR lower(v) NOT IN ('yes', 'no', 'true', 'false', 'on', 'off') THEN
                PERFORM tuki.fail('TK006', format('billable must be yes or no, not %s', coalesce(quote_literal(contact_set.value), 'NULL')),
                    'billable yes: the contact may order billable work.', 'Write billable=yes or billable=no.');
            END IF;
            c.may_order_billable := lower(v) IN ('yes', 'true', 'on');
        WHEN 'active' THEN
            IF v IS NULL OR lower(v) NOT IN ('yes', 'no', 'true', 'false', 'on', 'off') THEN
                PERFORM tuki.fail('TK006', format('active must be yes or no, not %s', coalesce(quote_literal(contact_set.value), 'NULL')),
                    'active no: the person is no longer a contact (kept for history).', 'Write active=yes or active=no.');
            END IF;
            c.active := lower(v) IN ('yes', 'true', 'on');
        ELSE
            PERFORM tuki.fail('TK006', format('unknown contact field %s', coalesce(quote_literal(contact_set.field), 'NULL')),
                'Fields: name, email, phone, language, billable, login, active.', 'E.g. contact set 12 phone=+358401234567');
    END CASE;
    PERFORM tuki.contact_check(c);
    UPDATE tuki.contact
       SET name = c.name, email = c.email, phone = c.phone, language = c.language, login = c.login,
           may_order_billable = c.may_order_billable, active = c.active
     WHERE id = c.id;
    PERFORM tuki.contact_grant_login(old_login, c.login);
END
$$;
COMMENT ON FUNCTION tuki.contact_set(bigint, text, text) IS 'Leads: changes one field of a contact: name and phone (free text, stored as given), email, language, login (blank or null clears the optional ones), billable or active (yes/no). TK005 for others; TK006 for an unknown contact or field or a value tuki.contact_check refuses.';

CREATE FUNCTION tuki.contact_deactivate(id bigint) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$ SELECT tuki.contact_set(contact_deactivate.id, 'active', 'no') $$;
COMMENT ON FUNCTION tuki.contact_deactivate(bigint) IS 'Leads: the person is no longer a contact (active = false, kept for history; their login sees nothing any more). TK005 for others, TK006 for an unknown contact.';

-- Contracts.
CREATE FUNCTION tuki.contract_add(customer text, service_level text, calendar text, valid_from date,
                                  valid_to date DEFAULT NULL, quota_minutes integer DEFAULT 0) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    new_id bigint;
BEGIN
    PERFORM tuki.require_lead('add contracts');
    PERFORM tuki.check_code('customer', contract_add.customer, 'tuki.customer');
    PERFORM tuki.check_code('service level', contract_add.service_level, 'tuki.service_level');
    PERFORM tuki.check_code('calendar', contract_add.calendar, 'tuki.calendar');
    PERFORM tuki.contract_check_dates(contract_add.valid_from, contract_add.valid_to, contract_add.quota_minutes);
    -- overlapping contracts: trigger contract_check_overlap of sql/006 (TK006)
    INSERT INTO tuki.contract (customer, service_level, calendar, valid_from, valid_to, quota_minutes)
    VALUES (contract_add.customer, contract_add.service_level, contract_add.calendar, contract_add.valid_from,
            contract_add.valid_to, contract_add.quota_minutes)
    RETURNING id INTO new_id;
    RETURN new_id;
END
$$;

CREATE FUNCTION tuki.contract_check_dates(valid_from date, valid_to date, quota_minutes integer) RETURNS void
    LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    IF valid_from IS NULL OR valid_to < valid_from THEN
        PERFORM tuki.fail('TK006', format('a contract cannot run from %s to %s', coalesce(valid_from::text, 'nothing'), valid_to),
            'A contract starts on a day and ends on the same or a later day, or runs until further notice.',
            'Give the first day, and a last day not before it (or none).');
    END IF;
    IF quota_minutes IS NULL OR quota_minutes < 0 THEN
        PERFORM tuki.fail('TK006', format('quota must be 0 or more minutes, not %s', coalesce(quota_minutes::text, 'NULL')),
            'The quota is the work per month included in the maintenance fee.', 'E.g. quota 10h.');
    END IF;
END
$$;
COMMENT ON FUNCTION tuki.contract_check_dates(date, date, integer) IS 'TK006 unless a contract''s validity (from, optional to not before it) and quota (minutes >= 0) make sense.';
COMMENT ON FUNCTION tuki.contract_add(text, text, text, date, date, integer) IS 'Leads: adds a contract (service level, calendar, validity, monthly quota in minutes) and returns its number. TK005 for others; TK006 for an unknown customer, level or calendar, bad dates or quota, or one overlapping another contract of the customer.';

CREATE FUNCTION tuki.contract_set(id bigint, field text, value text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    c tuki.contract;
    v text := nullif(btrim(contract_set.value), '');
BEGIN
    PERFORM tuki.require_lead('change contracts');
    SELECT * INTO c FROM tuki.contract WHERE id = contract_set.id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM tuki.fail('TK006', format('no contract %s', contract_set.id),
            'There is no contract with that number.', 'contract list CUSTOMER shows the numbers.');
    END IF;
    BEGIN
        CASE contract_set.field
            WHEN 'level' THEN
                PERFORM tuki.check_code('service level', v, 'tuki.service_level');
                c.service_level := v;
            WHEN 'calendar' THEN
                PERFORM tuki.check_code('calendar', v, 'tuki.calendar');
                c.calendar := v;
            WHEN 'quota' THEN c.quota_minutes := v::integer;
            WHEN 'from' THEN c.valid_from := v::date;
            WHEN 'to' THEN c.valid_to := v::date;
            ELSE
                PERFORM tuki.fail('TK006', format('unknown contract field %s', coalesce(quote_literal(contract_set.field), 'NULL')),
                    'Fields: level, calendar, quota (minutes), from, to (a date, or empty for until further notice).',
                    'E.g. contract set 3 to=2027-12-31');
        END CASE;
    EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow OR invalid_text_representation OR numeric_value_out_of_range THEN
        PERFORM tuki.fail('TK006', format('%s %s is not a valid %s', contract_set.field, quote_literal(v),
                                          CASE contract_set.field WHEN 'quota' THEN 'number of minutes' ELSE 'date' END),
            'Dates are YYYY-MM-DD; the quota is whole minutes.', 'E.g. contract set 3 quota=600');
    END;
    PERFORM tuki.contract_check_dates(c.valid_from, c.valid_to, c.quota_minutes);
    IF c.raise_level IS NOT NULL AND (c.raise_from < c.valid_from OR c.raise_to > c.valid_to) THEN
        PERFORM tuki.fail('TK006', format('contract %s would end before its raise to %s (%s to %s)', c.id, c.raise_level, c.raise_from, c.raise_to),
            'A temporary raise lies within its contract.', 'Keep the validity around the raise.');
    END IF;
    UPDATE tuki.contract
       SET service_level = c.service_level, calendar = c.calendar, quota_minutes = c.quota_minutes,
           valid_from = c.valid_from, valid_to = c.valid_to
     WHERE id = c.id;
END
$$;
COMMENT ON FUNCTION tuki.contract_set(bigint, text, text) IS 'Leads: changes one field of a contract: level, calendar, quota (minutes), from or to (YYYY-MM-DD; an empty to means until further notice). Active tickets on it follow a new level or calendar (trigger contract_sla_changed). TK005 for others; TK006 for an unknown contract, field, level or calendar, a bad value, overlapping another contract, or a validity that leaves out the contract''s raise.';

CREATE FUNCTION tuki.contract_raise(customer text, level text, raise_from date, raise_to date) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    c tuki.contract;
    today date;
BEGIN
    PERFORM tuki.require_lead('raise service levels');
    PERFORM tuki.check_code('customer', contract_raise.customer, 'tuki.customer');
    PERFORM tuki.check_code('service level', contract_raise.level, 'tuki.service_level');
    IF contract_raise.raise_from IS NULL OR contract_raise.raise_to IS NULL OR contract_raise.raise_to < contract_raise.raise_from THEN
        PERFORM tuki.fail('TK006', format('a raise cannot run from %s to %s', contract_raise.raise_from, contract_raise.raise_to),
            'A raise has a first and a last day, the last not before the first.', 'E.g. raise ACME premium 2027-12-06 2027-12-12');
    END IF;
    SELECT * INTO c FROM tuki.contract k
     WHERE k.customer = contract_raise.customer AND k.valid_from <= contract_raise.raise_from
       AND (k.valid_to IS NULL OR k.valid_to >= contract_raise.raise_to)
     FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM tuki.fail('TK006', format('no contract of %s covers %s to %s', contract_raise.customer, contract_raise.raise_from, contract_raise.raise_to),
            format('Contracts of %s: %s.', contract_raise.customer,
                   coalesce((SELECT string_agg(format('%s from %s to %s', k.id, k.valid_from, coalesce(k.valid_to::text, 'further notice')), '; ' ORDER BY k.valid_from)
                               FROM tuki.contract k WHERE k.customer = contract_raise.customer), 'none')),
            'A raise lies within one contract: shorten it, or extend the contract first (contract set ID to=DATE).');
    END IF;
    IF (SELECT rank FROM tuki.service_level WHERE code = contract_raise.level)
       >= (SELECT rank FROM tuki.service_level WHERE code = c.service_level) THEN
        PERFORM tuki.fail('TK006', format('%s is no raise from %s', contract_raise.level, c.service_level),
            'A raise is a level served before the contract''s own (a lower rank in tuki.service_level).',
            format('To change the level for good: contract set %s level=%s', c.id, contract_raise.level));
    END IF;
    -- one raise per contract is kept (sql/006): one that has begun is history the monthly
    -- report shows, so only a raise still to come may be replaced
    SELECT (tuki.now() AT TIME ZONE k.tz)::date INTO today FROM tuki.calendar k WHERE k.code = c.calendar;
    IF c.raise_level IS NOT NULL AND c.raise_from <= today
       AND (c.raise_level, c.raise_from, c.raise_to) IS DISTINCT FROM (contract_raise.level, contract_raise.raise_from, contract_raise.raise_to) THEN
        PERFORM tuki.fail('TK006', format('contract %s already had a raise to %s from %s to %s', c.id, c.raise_level, c.raise_from, c.raise_to),
            'A contract keeps one temporary raise; one that has begun stays for the monthly reports.',
            'Only a raise that has not begun yet can be replaced.');
    END IF;
    -- active tickets created in the range take the raised level (trigger contract_sla_changed)
    UPDATE tuki.contract
       SET raise_level = contract_raise.level, raise_from = contract_raise.raise_from, raise_to = contract_raise.raise_to
     WHERE id = c.id;
    RETURN c.id;
END
$$;
COMMENT ON FUNCTION tuki.contract_raise(text, text, date, date) IS 'Leads: a temporary service-level raise of the customer''s contract for the days raise_from to raise_to; returns the contract''s number. Tickets created on those days get the raised level (queue rank and SLA targets), active ones included. TK005 for others; TK006 for an unknown customer or level, bad dates, no single contract covering the days, a level that is no raise, or replacing a raise that has begun.';

-- Opening hours and holidays. Each statement rebuilds tuki.calendar_open (sql/004).
CREATE FUNCTION tuki.calendar_hours_set(calendar text, isodow integer[], opens time[], closes time[]) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    PERFORM tuki.require_lead('change opening hours');
    PERFORM tuki.check_code('calendar', calendar_hours_set.calendar, 'tuki.calendar');
    IF coalesce(cardinality(calendar_hours_set.isodow), 0) = 0
       OR EXISTS (SELECT 1 FROM unnest(calendar_hours_set.isodow) d WHERE d IS NULL OR d NOT BETWEEN 1 AND 7) THEN
        PERFORM tuki.fail('TK006', 'opening hours need weekdays 1 (Monday) to 7 (Sunday)',
            'Name the days the hours are for.', 'E.g. hours fi-8-16 mon-fri 08:00-16:00');
    END IF;
    IF cardinality(calendar_hours_set.opens) IS DISTINCT FROM cardinality(calendar_hours_set.closes)
       OR EXISTS (SELECT 1 FROM unnest(calendar_hours_set.opens, calendar_hours_set.closes) h(o, c) WHERE o IS NULL OR c IS NULL) THEN
        PERFORM tuki.fail('TK006', 'each opening time needs a closing time',
            'Hours are pairs OPENS-CLOSES.', 'E.g. hours fi-8-16 mon-fri 08:00-11:30 12:00-16:00');
    END IF;
    IF (SELECT count(DISTINCT o) FROM unnest(calendar_hours_set.opens) o) < cardinality(calendar_hours_set.opens) THEN
        PERFORM tuki.fail('TK006', 'two intervals open at the same time',
            'Each interval of a day opens at its own time.', 'Merge them into one.');
    END IF;
    -- replaces the days' hours (an empty list closes them)
    DELETE FROM tuki.calendar_hours h
     WHERE h.calendar = calendar_hours_set.calendar AND h.isodow = ANY (calendar_hours_set.isodow);
    INSERT INTO tuki.calendar_hours (calendar, isodow, opens, closes)
    SELECT calendar_hours_set.calendar, d, h.o, h.c
      FROM unnest(calendar_hours_set.isodow) d, unnest(calendar_hours_set.opens, calendar_hours_set.closes) h(o, c);
END
$$;
COMMENT ON FUNCTION tuki.calendar_hours_set(text, integer[], time[], time[]) IS 'Leads: the opening hours of a calendar on the given ISO weekdays become the intervals opens[i]-closes[i] (local times; empty arrays: closed those days); deadlines of active tickets on the calendar move. TK005 for others; TK006 for an unknown calendar, bad weekdays or unpaired times.';

CREATE FUNCTION tuki.holiday_add(calendar text, day date, name text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    known text;
BEGIN
    PERFORM tuki.require_lead('add holidays');
    PERFORM tuki.check_code('calendar', holiday_add.calendar, 'tuki.calendar');
    PERFORM tuki.check_text('holiday name', holiday_add.name, NULL);
    IF holiday_add.day IS NULL THEN
        PERFORM tuki.fail('TK006', 'a holiday needs a day', 'Give the local date.', 'E.g. holiday add fi-8-16 2027-12-24 "Jouluaatto"');
    END IF;
    SELECT h.name INTO known FROM tuki.holiday h WHERE h.calendar = holiday_add.calendar AND h.day = holiday_add.day;
    IF FOUND THEN
        PERFORM tuki.fail('TK006', format('%s is already a holiday of %s: %s', holiday_add.day, holiday_add.calendar, known),
            'A day is one holiday of a calendar.', format('Remove it first: holiday remove %s %s', holiday_add.calendar, holiday_add.day));
    END IF;
    INSERT INTO tuki.holiday (calendar, day, name) VALUES (holiday_add.calendar, holiday_add.day, holiday_add.name);
END
$$;
COMMENT ON FUNCTION tuki.holiday_add(text, date, text) IS 'Leads: the calendar is closed the whole local day; deadlines of active tickets on it move. TK005 for others; TK006 for an unknown calendar, an empty name or a day that is already a holiday.';

CREATE FUNCTION tuki.holiday_remove(calendar text, day date) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    PERFORM tuki.require_lead('remove holidays');
    PERFORM tuki.check_code('calendar', holiday_remove.calendar, 'tuki.calendar');
    DELETE FROM tuki.holiday h WHERE h.calendar = holiday_remove.calendar AND h.day = holiday_remove.day;
    IF NOT FOUND THEN
        PERFORM tuki.fail('TK006', format('%s is no holiday of %s', holiday_remove.day, holiday_remove.calendar),
            'Only a holiday can be removed.', format('See SELECT * FROM tuki.holiday WHERE calendar = %L;', holiday_remove.calendar));
    END IF;
END
$$;
COMMENT ON FUNCTION tuki.holiday_remove(text, date) IS 'Leads: the day is an ordinary day of the calendar again; deadlines of active tickets on it move. TK005 for others; TK006 for an unknown calendar or a day that is no holiday.';

REVOKE EXECUTE ON FUNCTION tuki.admin_audit_record(), tuki.admin_audit_text(tuki.admin_audit), tuki.require_lead(text),
    tuki.contact_check(tuki.contact), tuki.contact_grant_login(text, text),
    tuki.contact_add(text, text, text, text, text, boolean, text), tuki.contact_set(bigint, text, text),
    tuki.contact_deactivate(bigint), tuki.contract_check_dates(date, date, integer),
    tuki.contract_add(text, text, text, date, date, integer), tuki.contract_set(bigint, text, text),
    tuki.contract_raise(text, text, date, date), tuki.calendar_hours_set(text, integer[], time[], time[]),
    tuki.holiday_add(text, date, text), tuki.holiday_remove(text, date) FROM PUBLIC;
-- agents may call them, to be told clearly that only leads may (TK005), not 42501
GRANT EXECUTE ON FUNCTION tuki.admin_audit_text(tuki.admin_audit),
    tuki.contact_add(text, text, text, text, text, boolean, text), tuki.contact_set(bigint, text, text),
    tuki.contact_deactivate(bigint), tuki.contract_add(text, text, text, date, date, integer),
    tuki.contract_set(bigint, text, text), tuki.contract_raise(text, text, date, date),
    tuki.calendar_hours_set(text, integer[], time[], time[]), tuki.holiday_add(text, date, text),
    tuki.holiday_remove(text, date) TO tuki_agent;
GRANT EXECUTE ON FUNCTION tuki.admin_audit_text(tuki.admin_audit) TO tuki_readonly;
-- staff read the audit (default privileges of sql/014 grant SELECT to tuki_agent, tuki_readonly)

RESET ROLE;
