-- Privileges and row-level security of everything before this file. Least privilege: clients
-- read, and write only through the API.
SET LOCAL ROLE tuki_owner;

REVOKE ALL ON SCHEMA tuki FROM PUBLIC;
GRANT USAGE ON SCHEMA tuki TO tuki_agent, tuki_lead, tuki_readonly, tuki_customer;

REVOKE ALL ON ALL TABLES IN SCHEMA tuki FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA tuki FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA tuki FROM PUBLIC;
-- Nothing in tuki is PUBLIC's, its types neither (the console builds queue keys for paging);
-- and what the owner creates later (sql/05x files) is not PUBLIC's by default either.
DO $$
DECLARE
    t regtype;
BEGIN
    FOR t IN SELECT y.oid::regtype FROM pg_type y LEFT JOIN pg_class c ON c.oid = y.typrelid
              WHERE y.typnamespace = 'tuki'::regnamespace AND y.typelem = 0 AND coalesce(c.relkind, 'c') = 'c' LOOP
        EXECUTE format('REVOKE USAGE ON TYPE %s FROM PUBLIC', t);
        EXECUTE format('GRANT USAGE ON TYPE %s TO tuki_agent, tuki_readonly, tuki_customer', t);
    END LOOP;
END
$$;
ALTER DEFAULT PRIVILEGES FOR ROLE tuki_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE tuki_owner REVOKE USAGE ON TYPES FROM PUBLIC;

-- staff read everything; tables made later by the owner are readable too
GRANT SELECT ON ALL TABLES IN SCHEMA tuki TO tuki_agent, tuki_readonly;
ALTER DEFAULT PRIVILEGES FOR ROLE tuki_owner IN SCHEMA tuki GRANT SELECT ON TABLES TO tuki_agent, tuki_readonly;
-- but not the key the notification channels are named from (tuki.listen hands out names)
REVOKE SELECT ON tuki.notify_key FROM tuki_agent, tuki_readonly;

-- functions that only read or compute: anyone with a tuki role
GRANT EXECUTE ON FUNCTION
    tuki.now(), tuki.actor(), tuki.actor_is_admin(), tuki.actor_is_lead(), tuki.allowed_targets(text),
    tuki.contract_level(bigint, date), tuki.contract_on(text, timestamptz),
    tuki.tz_is_valid(text), tuki.epoch_us(timestamptz), tuki.calendar_horizon_years(),
    tuki.business_add(text, timestamptz, integer), tuki.business_minutes(text, timestamptz, timestamptz),
    tuki.minutes_of_us(bigint),
    tuki.easter_sunday(integer), tuki.weekday_on_or_after(date, integer),
    tuki.holidays_fi(integer), tuki.holidays_sk(integer), tuki.role_is_customer(name),
    -- the limits: clients read them, and the table constraints call them for whoever writes
    tuki.limits(), tuki.limit_of(text), tuki.is_blank(text),
    -- every console LISTENs through it on the channel that is its own
    tuki.listen()
    TO tuki_agent, tuki_readonly, tuki_customer;

-- the API
GRANT EXECUTE ON FUNCTION
    tuki.ticket_create(text, text, text, text, integer, integer, text, text),
    tuki.ticket_take(bigint), tuki.ticket_take_next(), tuki.ticket_assign(bigint, text),
    tuki.ticket_release(bigint), tuki.ticket_set_status(bigint, text, text),
    tuki.ticket_reply(bigint, text), tuki.ticket_note(bigint, text),
    tuki.ticket_set_priority(bigint, integer, integer), tuki.ticket_escalate(bigint, text),
    tuki.ticket_edit(bigint, text, text, text, text, text),
    tuki.worklog_add(bigint, integer, boolean, text), tuki.ticket_expect_version(bigint, integer)
    TO tuki_agent;
GRANT EXECUTE ON FUNCTION tuki.agent_add(text, text, text, boolean), tuki.agent_register(text, text, text, boolean)
    TO tuki_lead;

-- customers: reference data, and their own rows of the rest (policies below)
GRANT SELECT ON tuki.status, tuki.transition, tuki.ticket_type, tuki.channel, tuki.team, tuki.priority_matrix,
                tuki.service_level, tuki.sla_target, tuki.calendar, tuki.calendar_hours, tuki.holiday,
                tuki.customer, tuki.contract, tuki.contact, tuki.ticket, tuki.message
    TO tuki_customer;

REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA tuki FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    tuki.business_add_exact(text, timestamptz, numeric), tuki.open_before(integer, timestamptz),
    tuki.contract_open_time(bigint, timestamptz),
    tuki.open_reach(integer, bigint), tuki.fail(text, text, text, text),
    tuki.sla_warning_percent(), tuki.sla_is_running(text),
    tuki.sla_alarm(integer, numeric, numeric), tuki.sla_warn_margin_us(integer, numeric),
    tuki.sla_left_us(boolean, bigint, bigint, integer, numeric), tuki.sla_budget_us(integer, numeric),
    tuki.sla_deadlines(integer, timestamptz, integer, timestamptz, numeric, integer, bigint, bigint)
    TO tuki_agent, tuki_readonly, tuki_customer;
GRANT SELECT ON tuki.calendar_open, tuki.calendar_horizon, tuki.setting TO tuki_customer;
-- called by the SLA row trigger and the lifecycle trigger's WHEN, which run with the rights of
-- whoever writes the row (the owner through the API; an agent only where a DBA granted raw UPDATE)
GRANT EXECUTE ON FUNCTION tuki.sla_bulk_mode(), tuki.actor_is_admin(), tuki.ticket_request(tuki.ticket),
    tuki.ticket_alarm_at(tuki.ticket, integer), tuki.sla_alarm_at(integer, bigint),
    tuki.sla_alarm_position(timestamptz, integer, bigint, integer, timestamptz, bigint, numeric, numeric),
    tuki.ticket_sla_next(tuki.ticket, tuki.ticket, timestamptz) TO tuki_agent;

REVOKE EXECUTE ON FUNCTION tuki.sla_sweep() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tuki.sla_sweep() TO tuki_agent;

REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA tuki FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tuki.sla_state(boolean, numeric, numeric, numeric),
    tuki.sla_now(bigint, timestamptz, integer, bigint, integer, timestamptz, bigint, numeric),
    tuki.sla_clocks(integer, timestamptz, numeric, text, timestamptz, timestamptz, timestamptz, integer, timestamptz, integer, timestamptz, numeric, timestamptz)
    TO tuki_agent, tuki_readonly, tuki_customer;
GRANT SELECT ON tuki.sla TO tuki_agent, tuki_readonly, tuki_customer;

REVOKE EXECUTE ON FUNCTION tuki.sla_clock_now(bigint[]), tuki.sla_alarm_ids(), tuki.queue_filter(text, text),
    tuki.queue_filter_arg(text, text),
    tuki.queue_after(text, text, tuki.queue_key, integer), tuki.queue_before(text, text, tuki.queue_key, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tuki.sla_clock_now(bigint[]), tuki.sla_alarm_ids(), tuki.queue_filter(text, text),
    tuki.queue_filter_arg(text, text),
    tuki.queue_after(text, text, tuki.queue_key, integer), tuki.queue_before(text, text, tuki.queue_key, integer)
    TO tuki_agent, tuki_readonly;

-- Anyone can NOTIFY tuki (PostgreSQL has no privilege for it), so a console cannot trust a
-- notification's payload. It can ask who sent it: libpq gives the sender's backend pid, and
-- pg_stat_activity shows every session's login to everyone. The desk's notifications come
-- from staff sessions only (agents, leads, administrators, cron as the owner).
CREATE FUNCTION tuki.untrusted_notifiers(pids integer[]) RETURNS integer[]
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(array_agg(DISTINCT a.pid ORDER BY a.pid), '{}')
      FROM pg_stat_activity a
     WHERE a.pid = ANY (untrusted_notifiers.pids) AND a.datname = current_database()
       AND NOT (a.usesysid IS NOT NULL
                AND (pg_has_role(a.usesysid, 'tuki_owner', 'MEMBER')
                     OR (pg_has_role(a.usesysid, 'tuki_agent', 'MEMBER')
                         AND NOT tuki.role_is_customer(a.usename))))
$$;
COMMENT ON FUNCTION tuki.untrusted_notifiers(integer[]) IS 'Of the given backend pids (PQnotifies be_pid of NOTIFYs on channel tuki), those still connected to this database as a session that cannot have sent a desk notification: its login is neither staff (tuki_agent, not a customer) nor an administrator. Consoles drop notifications from these; a pid no longer connected is not listed (treat its notification as a hint, rate-limited). See tuki-schema(7), NOTIFICATIONS.';
-- consoles of every kind listen on channel tuki
GRANT EXECUTE ON FUNCTION tuki.untrusted_notifiers(integer[]) TO tuki_agent, tuki_readonly, tuki_customer;

-- Row-level security. FORCE makes the owner (and so every SECURITY DEFINER function) go through
-- the policies too; its own policy lets it see everything.
DO $$
DECLARE
    tbl text;
BEGIN
    FOREACH tbl IN ARRAY ARRAY['customer', 'contract', 'contact', 'ticket', 'message', 'worklog', 'ticket_event'] LOOP
        EXECUTE format('ALTER TABLE tuki.%I ENABLE ROW LEVEL SECURITY', tbl);
        EXECUTE format('ALTER TABLE tuki.%I FORCE ROW LEVEL SECURITY', tbl);
        EXECUTE format('CREATE POLICY owner_all ON tuki.%I FOR ALL TO tuki_owner USING (true) WITH CHECK (true)', tbl);
        -- not to a customer's login that a DBA also made staff: rights are checked when used.
        -- A sub-select, so it is judged once per query (an init plan), not once per row: the
        -- role look-ups cost more than reading the row (numbering 103,621 active tickets for
        -- tuki.queue as an agent: 60 ms with it per row, 28 ms once).
        EXECUTE format('CREATE POLICY staff_read ON tuki.%I FOR SELECT TO tuki_agent, tuki_readonly
                        USING ((SELECT NOT tuki.role_is_customer(session_user)))', tbl);
        EXECUTE format('COMMENT ON POLICY owner_all ON tuki.%I IS %L', tbl,
                       'The owner (and so the SECURITY DEFINER API and triggers) sees and writes every row.');
        EXECUTE format('COMMENT ON POLICY staff_read ON tuki.%I IS %L', tbl,
                       'Agents, leads and tuki_readonly read every row, unless the session''s login is a customer (tuki.role_is_customer): then only the customer policies apply.');
    END LOOP;
END
$$;

-- a contact is identified by the role it is logged in as; nothing a session can SET changes that
-- (current_user's text has the C collation of type name: in the default collation, as the
-- login column, so that the index contact_login_key can find it)
CREATE POLICY customer_own ON tuki.contact FOR SELECT TO tuki_customer
    USING (login = current_user::text COLLATE "default");
CREATE POLICY customer_own ON tuki.customer FOR SELECT TO tuki_customer
    USING (code IN (SELECT c.customer FROM tuki.contact c WHERE c.login = current_user::text COLLATE "default"));
CREATE POLICY customer_own ON tuki.contract FOR SELECT TO tuki_customer
    USING (customer IN (SELECT c.customer FROM tuki.contact c WHERE c.login = current_user::text COLLATE "default"));
CREATE POLICY customer_own ON tuki.ticket FOR SELECT TO tuki_customer
    USING (customer IN (SELECT c.customer FROM tuki.contact c WHERE c.login = current_user::text COLLATE "default" AND c.active));
CREATE POLICY customer_public ON tuki.message FOR SELECT TO tuki_customer
    USING (visibility = 'public' AND ticket IN (SELECT t.id FROM tuki.ticket t));
COMMENT ON POLICY customer_own ON tuki.contact IS 'A contact sees its own contact row (matched by login = current_user).';
COMMENT ON POLICY customer_own ON tuki.customer IS 'A contact sees its own organisation.';
COMMENT ON POLICY customer_own ON tuki.contract IS 'A contact sees its organisation''s contracts.';
COMMENT ON POLICY customer_own ON tuki.ticket IS 'An active contact sees its organisation''s tickets only.';
COMMENT ON POLICY customer_public ON tuki.message IS 'A contact sees public messages of the tickets it can see; internal notes never.';

-- What administrators can still do, and the traces it leaves (tuki-schema(7), WHAT
-- ADMINISTRATORS CAN STILL DO). The history's refusal triggers fire ALWAYS: a superuser's
-- session_replication_role = replica no longer switches them off; only DDL does.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT g.tgrelid::regclass AS tbl, g.tgname FROM pg_trigger g
              WHERE g.tgfoid = 'tuki.history_refuse()'::regprocedure AND NOT g.tgisinternal LOOP
        EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER %I', t.tbl, t.tgname);
    END LOOP;
END
$$;

CREATE TABLE tuki.ddl_audit (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    session_role text NOT NULL DEFAULT session_user,
    acting_role  text NOT NULL DEFAULT current_user,
    command_tag  text NOT NULL,
    object_type  text,
    object       text,
    statement    text
);
COMMENT ON TABLE tuki.ddl_audit IS 'Every DDL command on an object of schema tuki (ALTER TABLE ... DISABLE TRIGGER, DROP, CREATE OR REPLACE FUNCTION, policies...), written by event trigger tuki_ddl_audit and also sent to the server log; migrations included. Append-only (TK002). Present only when a superuser ran the migration (event triggers need one).';
COMMENT ON COLUMN tuki.ddl_audit.id IS 'Order of the commands.';
COMMENT ON COLUMN tuki.ddl_audit.at IS 'When the command ended (clock_timestamp()).';
COMMENT ON COLUMN tuki.ddl_audit.session_role IS 'The login that ran it (session_user).';
COMMENT ON COLUMN tuki.ddl_audit.acting_role IS 'The role it ran as (current_user, e.g. tuki_owner after SET ROLE).';
COMMENT ON COLUMN tuki.ddl_audit.command_tag IS 'E.g. ALTER TABLE, DROP TRIGGER.';
COMMENT ON COLUMN tuki.ddl_audit.object_type IS 'E.g. table, trigger, function.';
COMMENT ON COLUMN tuki.ddl_audit.object IS 'The object''s identity, e.g. tuki.ticket_event.';
COMMENT ON COLUMN tuki.ddl_audit.statement IS 'The statement as sent by the client (current_query()).';
CREATE TRIGGER ddl_audit_no_change BEFORE UPDATE OR DELETE ON tuki.ddl_audit
    FOR EACH ROW EXECUTE FUNCTION tuki.history_refuse();
CREATE TRIGGER ddl_audit_no_truncate BEFORE TRUNCATE ON tuki.ddl_audit
    FOR EACH STATEMENT EXECUTE FUNCTION tuki.history_refuse();
ALTER TABLE tuki.ddl_audit ENABLE ALWAYS TRIGGER ddl_audit_no_change;
ALTER TABLE tuki.ddl_audit ENABLE ALWAYS TRIGGER ddl_audit_no_truncate;
COMMENT ON TRIGGER ddl_audit_no_change ON tuki.ddl_audit IS 'The audit is append-only (TK002), even with session_replication_role = replica.';
COMMENT ON TRIGGER ddl_audit_no_truncate ON tuki.ddl_audit IS 'The audit cannot be truncated (TK002), even with session_replication_role = replica.';

-- Not SECURITY DEFINER, so current_user is the role that ran the command: only the owner
-- (and its members) and superusers can run DDL on objects of tuki, and they may write here.
CREATE FUNCTION tuki.ddl_audit_record() RETURNS event_trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE schema_name = 'tuki' LOOP
        INSERT INTO tuki.ddl_audit (session_role, command_tag, object_type, object, statement)
        VALUES (session_user, c.command_tag, c.object_type, c.object_identity, current_query());
        -- the server log is out of the schema owner's reach
        RAISE LOG 'tuki audit: % ran % on % % as %', session_user, c.command_tag, c.object_type, c.object_identity, current_user;
    END LOOP;
END
$$;
COMMENT ON FUNCTION tuki.ddl_audit_record() IS 'Event trigger function (ddl_command_end): records every DDL command on an object of schema tuki in tuki.ddl_audit and the server log (LOG level).';
-- sql_drop: what was dropped (ddl_command_end does not list dropped objects)
CREATE FUNCTION tuki.ddl_audit_drop() RETURNS event_trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT * FROM pg_event_trigger_dropped_objects() WHERE schema_name = 'tuki' AND original LOOP
        INSERT INTO tuki.ddl_audit (session_role, command_tag, object_type, object, statement)
        VALUES (session_user, tg_tag, c.object_type, c.object_identity, current_query());
        RAISE LOG 'tuki audit: % ran % on % % as %', session_user, tg_tag, c.object_type, c.object_identity, current_user;
    END LOOP;
END
$$;
COMMENT ON FUNCTION tuki.ddl_audit_drop() IS 'Event trigger function (sql_drop): records every object of schema tuki dropped, as tuki.ddl_audit_record does.';
REVOKE EXECUTE ON FUNCTION tuki.ddl_audit_record(), tuki.ddl_audit_drop() FROM PUBLIC;

RESET ROLE;
-- Event triggers need a superuser; they fire ALWAYS, session_replication_role = replica too.
DO $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        CREATE EVENT TRIGGER tuki_ddl_audit ON ddl_command_end EXECUTE FUNCTION tuki.ddl_audit_record();
        CREATE EVENT TRIGGER tuki_ddl_audit_drop ON sql_drop EXECUTE FUNCTION tuki.ddl_audit_drop();
        ALTER EVENT TRIGGER tuki_ddl_audit ENABLE ALWAYS;
        ALTER EVENT TRIGGER tuki_ddl_audit_drop ENABLE ALWAYS;
        COMMENT ON EVENT TRIGGER tuki_ddl_audit IS 'Records DDL on schema tuki in tuki.ddl_audit and the server log.';
        COMMENT ON EVENT TRIGGER tuki_ddl_audit_drop IS 'Records objects of schema tuki dropped in tuki.ddl_audit and the server log.';
    ELSE
        RAISE NOTICE 'tuki: not a superuser, so no DDL audit (event triggers need one); see tuki-schema(7)';
    END IF;
END
$$;
