-- The API: every client write goes through these SECURITY DEFINER functions.
-- Parameter names follow DESIGN.md (named notation works), so queries use #variable_conflict use_column
-- and refer to parameters qualified by the function name.
SET LOCAL ROLE tuki_owner;

CREATE FUNCTION tuki.require_staff() RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM tuki.agent a WHERE a.login = tuki.actor() AND a.active) OR tuki.actor_is_admin() THEN
        RETURN tuki.actor();
    END IF;
    PERFORM tuki.fail('TK005', format('%s is not a registered agent', tuki.actor()),
        'Only active agents in tuki.agent (and administrators) may change tickets.',
        'A lead can register you with tuki.agent_add(login, display_name).');
END
$$;
COMMENT ON FUNCTION tuki.require_staff() IS 'Returns tuki.actor() when it is an active agent, or the session user is an administrator; TK005 otherwise.';

CREATE FUNCTION tuki.require_agent() RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM tuki.agent a WHERE a.login = tuki.actor() AND a.active) THEN
        RETURN tuki.actor();
    END IF;
    PERFORM tuki.fail('TK005', format('%s is not a registered agent', tuki.actor()),
        'Only active agents in tuki.agent can hold tickets or log work.',
        'A lead can register you with tuki.agent_add(login, display_name).');
END
$$;
COMMENT ON FUNCTION tuki.require_agent() IS 'Returns tuki.actor() when it is an active agent (who can hold tickets); TK005 otherwise.';

CREATE FUNCTION tuki.ticket_lock(id bigint) RETURNS tuki.ticket
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    t tuki.ticket;
BEGIN
    SELECT * INTO t FROM tuki.ticket WHERE id = ticket_lock.id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM tuki.fail('TK006', format('no ticket #%s', ticket_lock.id),
            'There is no ticket with that number.', 'See SELECT id, subject FROM tuki.queue;');
    END IF;
    RETURN t;
END
$$;
COMMENT ON FUNCTION tuki.ticket_lock(bigint) IS 'Locks a ticket row FOR UPDATE and returns it; TK006 when it does not exist.';

CREATE FUNCTION tuki.check_code(kind text, value text, tbl regclass) RETURNS void
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    found boolean;
    known text;
BEGIN
    -- the tables the API checks, without dynamic SQL: EXECUTE plans its query on every call
    -- (64 us, a tenth of a status change, tests/bench/run); any other table by EXECUTE
    found := CASE tbl WHEN 'tuki.status'::regclass THEN EXISTS (SELECT 1 FROM tuki.status c WHERE c.code = value)
                      WHEN 'tuki.ticket_type'::regclass THEN EXISTS (SELECT 1 FROM tuki.ticket_type c WHERE c.code = value)
                      WHEN 'tuki.channel'::regclass THEN EXISTS (SELECT 1 FROM tuki.channel c WHERE c.code = value)
                      WHEN 'tuki.team'::regclass THEN EXISTS (SELECT 1 FROM tuki.team c WHERE c.code = value)
                      WHEN 'tuki.customer'::regclass THEN EXISTS (SELECT 1 FROM tuki.customer c WHERE c.code = value) END;
    IF found IS NULL THEN
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE code = $1)', tbl) INTO found USING value;
    END IF;
    IF NOT found THEN
        EXECUTE format('SELECT string_agg(code, '', '' ORDER BY code) FROM (SELECT code FROM %s ORDER BY code LIMIT 30) c', tbl) INTO known;
        PERFORM tuki.fail('TK006', format('unknown %s %s', kind, coalesce(quote_literal(value), 'NULL')),
            format('Known %s values: %s.', kind, coalesce(known, 'none')),
            format('See SELECT code, name FROM %s;', tbl));
    END IF;
END
$$;
COMMENT ON FUNCTION tuki.check_code(text, text, regclass) IS 'Raises TK006 naming the known codes when value is not a code in the lookup table tbl (customer, type, channel, status, team).';

CREATE FUNCTION tuki.check_level(kind text, value integer) RETURNS void
    LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    IF value IS NULL OR value NOT BETWEEN 1 AND 3 THEN
        PERFORM tuki.fail('TK006', format('%s must be 1, 2 or 3, not %s', kind, coalesce(value::text, 'NULL')),
            format('%s: 1 = high, 2 = medium, 3 = low.', initcap(kind)),
            'Priority follows from impact and urgency through tuki.priority_matrix.');
    END IF;
END
$$;
COMMENT ON FUNCTION tuki.check_level(text, integer) IS 'Raises TK006 when an impact or urgency is not 1..3.';

CREATE FUNCTION tuki.check_size(kind text, value text, limit_name text) RETURNS void
    LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
    lim record;
    size bigint;
BEGIN
    SELECT * INTO STRICT lim FROM tuki.limits() l WHERE l.name = limit_name;
    size := CASE lim.unit WHEN 'characters' THEN char_length(value) ELSE octet_length(value) END;
    IF size > lim.max THEN
        PERFORM tuki.fail('TK009', format('%s is too long: %s %s, at most %s', kind, size, lim.unit, lim.max),
            format('The limit %s applies to %s.', limit_name, lim.applies_to),
            'Shorten it, or split it into several; SELECT * FROM tuki.limits() lists every limit.');
    END IF;
END
$$;
COMMENT ON FUNCTION tuki.check_size(text, text, text) IS 'Raises TK009 when a text is over the limit limit_name of tuki.limits() (characters or bytes, as the limit says); null passes.';

CREATE FUNCTION tuki.check_text(kind text, value text, limit_name text) RETURNS void
    LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    IF value IS NULL OR tuki.is_blank(value) THEN
        PERFORM tuki.fail('TK006', format('%s is empty', kind),
            format('A %s needs some text; white space and invisible characters alone do not count.', kind),
            format('Give a non-empty %s.', kind));
    END IF;
    IF limit_name IS NOT NULL THEN
        PERFORM tuki.check_size(kind, value, limit_name);
    END IF;
END
$$;
COMMENT ON FUNCTION tuki.check_text(text, text, text) IS 'Raises TK006 when a required text (subject, body) is null or blank (tuki.is_blank), TK009 when it is over the limit limit_name of tuki.limits() (none when null).';

CREATE FUNCTION tuki.contact_find(customer text, who text) RETURNS bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    ids bigint[];
BEGIN
    -- an address first (unique per customer), else the name; both in any case
    SELECT array_agg(c.id ORDER BY c.id) INTO ids FROM tuki.contact c
     WHERE c.customer = contact_find.customer AND c.active AND lower(c.email) = lower(btrim(contact_find.who));
    IF ids IS NULL THEN
        SELECT array_agg(c.id ORDER BY c.id) INTO ids FROM tuki.contact c
         WHERE c.customer = contact_find.customer AND c.active AND lower(c.name) = lower(btrim(contact_find.who));
    END IF;
    IF ids IS NULL THEN
        PERFORM tuki.fail('TK006', format('no contact %s at customer %s', contact_find.who, contact_find.customer),
            format('Active contacts of %s: %s.', contact_find.customer,
                   coalesce((SELECT string_agg(coalesce(c.email, c.name), ', ' ORDER BY coalesce(c.email, c.name))
                               FROM (SELECT * FROM tuki.contact c WHERE c.customer = contact_find.customer AND c.active
                                      ORDER BY coalesce(c.email, c.name) LIMIT 30) c), 'none')),
            'Only named contacts talk to the vendor: name one by e-mail address or full name, or add the person to tuki.contact.');
    ELSIF cardinality(ids) > 1 THEN
        PERFORM tuki.fail('TK006', format('%s contacts at customer %s are called %s', cardinality(ids), contact_find.customer, contact_find.who),
            format('Their addresses: %s.', (SELECT string_agg(coalesce(c.email, '-'), ', ' ORDER BY c.id) FROM tuki.contact c WHERE c.id = ANY (ids))),
            'Name the contact by e-mail address.');
    END IF;
    RETURN ids[1];
END
$$;
COMMENT ON FUNCTION tuki.contact_find(text, text) IS 'The active contact of a customer named by e-mail address or, failing that, by full name (both in any case, surrounding blanks ignored); TK006 when there is none, or when several share the name.';

CREATE FUNCTION tuki.ticket_create(customer text, subject text, body text, type text DEFAULT 'incident',
                                   impact integer DEFAULT 3, urgency integer DEFAULT 3,
                                   contact_email text DEFAULT NULL, channel text DEFAULT 'email')
    RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    new_id bigint;
    contact_id bigint;
    contract_id bigint;
    level text;
    tz text;
    me tuki.contact := tuki.contact_self(); -- sql/022: set when a contact's own login calls
BEGIN
    IF me.id IS NULL THEN
        PERFORM tuki.require_staff();
    ELSE
        -- the portal: a contact files for itself, whatever it passed for these three
        ticket_create.customer := me.customer;
        ticket_create.channel := 'portal';
        ticket_create.contact_email := NULL;
        contact_id := me.id;
    END IF;
    PERFORM tuki.check_code('customer', ticket_create.customer, 'tuki.customer');
    PERFORM tuki.check_text('subject', ticket_create.subject, 'subject');
    PERFORM tuki.check_size('request body', ticket_create.body, 'message_body');
    PERFORM tuki.check_code('type', ticket_create.type, 'tuki.ticket_type');
    PERFORM tuki.check_code('channel', ticket_create.channel, 'tuki.channel');
    PERFORM tuki.check_level('impact', ticket_create.impact);
    PERFORM tuki.check_level('urgency', ticket_create.urgency);
    IF ticket_create.contact_email IS NOT NULL THEN
        contact_id := tuki.contact_find(ticket_create.customer, ticket_create.contact_email);
    END IF;
    contract_id := tuki.contract_on(ticket_create.customer, tuki.now());
    IF contract_id IS NULL THEN
        PERFORM tuki.fail('TK006', format('customer %s has no contract in force', ticket_create.customer),
            'A ticket takes its service level and calendar from the contract valid today.',
            format('See SELECT * FROM tuki.contract WHERE customer = %L;', ticket_create.customer));
    END IF;
    SELECT k.tz INTO tz FROM tuki.contract c JOIN tuki.calendar k ON k.code = c.calendar WHERE c.id = contract_id;
    level := tuki.contract_level(contract_id, (tuki.now() AT TIME ZONE tz)::date);

    INSERT INTO tuki.ticket (customer, contact, contract, service_level, type, channel, impact, urgency, subject)
    VALUES (ticket_create.customer, contact_id, contract_id, level, ticket_create.type, ticket_create.channel,
            ticket_create.impact, ticket_create.urgency, ticket_create.subject)
    RETURNING id INTO new_id;

    IF NOT coalesce(tuki.is_blank(ticket_create.body), true) THEN
        INSERT INTO tuki.message (ticket, contact, from_customer, visibility, channel, body)
        VALUES (new_id, contact_id, true, 'public', ticket_create.channel, ticket_create.body);
    END IF;
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION tuki.ticket_create(text, text, text, text, integer, integer, text, text) IS 'Creates a ticket for a customer (status new, contract and service level of today) with the request body as the customer''s first public message (the contact''s words, recorded_by the agent: channel phone for a call); returns its id. contact_email names the contact by address or full name (tuki.contact_find). Called by a contact''s own login (tuki.contact_self()), the customer, contact and channel (portal) are the contact''s, whatever was passed. TK006 for an unknown customer, type, channel or contact, impact/urgency outside 1..3, a blank subject (tuki.is_blank) or no contract in force; TK009 for a subject or body over tuki.limits(). A blank body adds no message.';

CREATE FUNCTION tuki.ticket_take(id bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    me text := tuki.require_agent();
    t tuki.ticket := tuki.ticket_lock(ticket_take.id);
BEGIN
    IF t.assignee IS NOT NULL AND t.assignee <> me THEN
        PERFORM tuki.fail('TK003', format('ticket #%s is already taken by %s', t.id, t.assignee),
            format('%s holds it; a ticket has one holder at a time.', t.assignee),
            'Take another one (tuki.ticket_take_next()) or ask a lead to reassign it.');
    END IF;
    IF NOT t.is_active THEN
        PERFORM tuki.fail('TK001', format('ticket #%s is %s and cannot be taken', t.id, t.status),
            format('From %s the allowed statuses are: %s.', t.status, tuki.allowed_targets(t.status)),
            'Reopen it first with tuki.ticket_set_status(id, ''open'').');
    END IF;
    IF t.assignee IS NULL OR t.status = 'new' THEN
        UPDATE tuki.ticket SET assignee = me, status = CASE WHEN status = 'new' THEN 'open' ELSE status END
         WHERE id = t.id;
    END IF;
END
$$;
COMMENT ON FUNCTION tuki.ticket_take(bigint) IS 'Assigns the ticket to the calling agent; new becomes open. TK003 when another agent holds it, TK001 when its status is not active (resolved, closed); taking your own ticket again is a no-op.';

CREATE FUNCTION tuki.ticket_take_next() RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    me text := tuki.require_agent();
    my_team text := (SELECT a.team FROM tuki.agent a WHERE a.login = me);
    picked bigint;
BEGIN
    -- concurrent callers skip each other's locked rows, so no ticket is handed out twice
    SELECT t.id INTO picked FROM tuki.ticket t
     WHERE t.is_active AND t.assignee IS NULL
       AND (my_team IS NULL OR t.team = my_team)
     ORDER BY t.service_rank, t.priority, t.queue_due, t.id -- tuki.queue_key
     LIMIT 1
       FOR UPDATE OF t SKIP LOCKED;
    IF picked IS NULL THEN
        RETURN NULL;
    END IF;
    UPDATE tuki.ticket SET assignee = me, status = CASE WHEN status = 'new' THEN 'open' ELSE status END
     WHERE id = picked;
    RETURN picked;
END
$$;
COMMENT ON FUNCTION tuki.ticket_take_next() IS 'Takes the unassigned ticket at the top of the queue (tuki.ticket.is_active, in tuki.queue_key order) (of the agent''s team, any team when the agent has none) and returns its id, or null when there is none. Uses FOR UPDATE SKIP LOCKED: concurrent agents never get the same ticket.';

CREATE FUNCTION tuki.ticket_assign(id bigint, agent text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    t tuki.ticket;
BEGIN
    PERFORM tuki.require_staff();
    IF NOT EXISTS (SELECT 1 FROM tuki.agent a WHERE a.login = ticket_assign.agent AND a.active) THEN
        PERFORM tuki.fail('TK006', format('unknown agent %s', coalesce(quote_literal(ticket_assign.agent), 'NULL')),
            format('Active agents: %s.', coalesce((SELECT string_agg(a.login, ', ' ORDER BY a.login)
                                                     FROM (SELECT login FROM tuki.agent WHERE active ORDER BY login LIMIT 30) a), 'none')),
            'See SELECT login, display_name FROM tuki.agent;');
    END IF;
    t := tuki.ticket_lock(ticket_assign.id);
    IF t.assignee IS NOT DISTINCT FROM ticket_assign.agent THEN
        RETURN;
    END IF;
    -- someone else's ticket: the holding rule of trigger ticket_before_update (TK005 unless a lead)
    UPDATE tuki.ticket SET assignee = ticket_assign.agent WHERE id = t.id;
END
$$;
COMMENT ON FUNCTION tuki.ticket_assign(bigint, text) IS 'Assigns a ticket to an agent. Unassigned and own tickets: any agent; someone else''s: leads only (TK005). TK006 for an unknown agent or ticket.';

CREATE FUNCTION tuki.ticket_release(id bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    t tuki.ticket;
BEGIN
    PERFORM tuki.require_staff();
    t := tuki.ticket_lock(ticket_release.id);
    IF t.assignee IS NULL THEN
        RETURN;
    END IF;
    -- someone else's: the holding rule of trigger ticket_before_update (TK005 unless a lead)
    UPDATE tuki.ticket SET assignee = NULL WHERE id = t.id;
END
$$;
COMMENT ON FUNCTION tuki.ticket_release(bigint) IS 'Hands a ticket back to the queue (assignee null, status unchanged): own tickets, or any for leads (TK005 otherwise).';

CREATE FUNCTION tuki.ticket_set_status(id bigint, status text, note text DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    t tuki.ticket;
BEGIN
    PERFORM tuki.require_staff();
    PERFORM tuki.check_code('status', ticket_set_status.status, 'tuki.status');
    IF ticket_set_status.note IS NOT NULL THEN      -- (a call of 10 us that passes null)
        PERFORM tuki.check_size('note', ticket_set_status.note, 'message_body');
    END IF;
    t := tuki.ticket_lock(ticket_set_status.id);
    IF t.status = ticket_set_status.status THEN
        PERFORM tuki.fail('TK001', format('ticket #%s is already %s', t.id, t.status),
            format('From %s the allowed statuses are: %s.', t.status, tuki.allowed_targets(t.status)),
            'Pick one of the allowed statuses; the lifecycle is in tuki.transition.');
    END IF;
    IF ticket_set_status.status = 'resolved' THEN
        UPDATE tuki.ticket SET status = 'resolved', resolution = ticket_set_status.note WHERE id = t.id;
    ELSE
        -- the note first: once closed, the ticket takes no more messages
        IF NOT coalesce(tuki.is_blank(ticket_set_status.note), true) AND t.status <> 'closed' THEN
            INSERT INTO tuki.message (ticket, visibility, body) VALUES (t.id, 'internal', ticket_set_status.note);
        END IF;
        UPDATE tuki.ticket SET status = ticket_set_status.status WHERE id = t.id;
    END IF;
END
$$;
COMMENT ON FUNCTION tuki.ticket_set_status(bigint, text, text) IS 'Moves a ticket to another status along tuki.transition (TK001 otherwise, TK005 for lead-only moves). To resolved the note is the resolution (required, TK007); for other statuses a note is added as an internal note (a blank one is ignored). TK009 for a note over the message_body limit of tuki.limits().';

CREATE FUNCTION tuki.message_add(id bigint, visibility text, body text) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    me tuki.contact := tuki.contact_self(); -- sql/022: set when a contact's own login calls
    t tuki.ticket;
BEGIN
    IF me.id IS NULL THEN
        PERFORM tuki.require_staff();
    ELSIF message_add.visibility <> 'public' THEN
        PERFORM tuki.fail('TK005', 'a contact writes public messages only',
            'Internal notes are the desk''s own.', 'Reply instead.');
    END IF;
    PERFORM tuki.check_text(CASE message_add.visibility WHEN 'public' THEN 'reply' ELSE 'note' END,
                            message_add.body, 'message_body');
    t := CASE WHEN me.id IS NULL THEN tuki.ticket_lock(message_add.id) ELSE tuki.contact_ticket_lock(message_add.id) END;
    IF me.id IS NOT NULL AND t.status = 'waiting_customer' THEN
        -- the answer the desk waited for, as by mail (tuki.mail_store)
        UPDATE tuki.ticket SET status = 'open' WHERE id = t.id;
    END IF;
    INSERT INTO tuki.message (ticket, visibility, body, contact, from_customer, channel)
    VALUES (message_add.id, message_add.visibility, message_add.body, me.id, me.id IS NOT NULL,
            CASE WHEN me.id IS NULL THEN 'console' ELSE 'portal' END);
END
$$;
COMMENT ON FUNCTION tuki.message_add(bigint, text, text) IS 'The one body of tuki.ticket_reply and tuki.ticket_note: checks the caller and the text, locks the ticket (TK008 when closed) and adds the message as the acting agent, or, for a contact''s own login (tuki.contact_self(); public only, TK005; its own customer''s tickets only, TK006), as the contact''s words on channel portal (a ticket waiting for the customer goes back to open). TK006 for a blank body (tuki.is_blank), TK009 over the message_body limit of tuki.limits(). Not callable by clients directly.';

CREATE FUNCTION tuki.ticket_reply(id bigint, body text) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$ SELECT tuki.message_add(id, 'public', body) $$;
COMMENT ON FUNCTION tuki.ticket_reply(bigint, text) IS 'Adds a public message from the agent to the customer; the first one sets responded_at (stops the response clock). TK008 on closed tickets.';

CREATE FUNCTION tuki.ticket_note(id bigint, body text) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$ SELECT tuki.message_add(id, 'internal', body) $$;
COMMENT ON FUNCTION tuki.ticket_note(bigint, text) IS 'Adds an internal note; never visible to customers. TK008 on closed tickets.';

CREATE FUNCTION tuki.ticket_set_priority(id bigint, impact integer, urgency integer) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    t tuki.ticket;
BEGIN
    PERFORM tuki.require_staff();
    PERFORM tuki.check_level('impact', ticket_set_priority.impact);
    PERFORM tuki.check_level('urgency', ticket_set_priority.urgency);
    t := tuki.ticket_lock(ticket_set_priority.id);
    IF (t.impact, t.urgency) = (ticket_set_priority.impact, ticket_set_priority.urgency) THEN
        RETURN;
    END IF;
    UPDATE tuki.ticket SET impact = ticket_set_priority.impact, urgency = ticket_set_priority.urgency WHERE id = t.id;
END
$$;
COMMENT ON FUNCTION tuki.ticket_set_priority(bigint, integer, integer) IS 'Changes impact and urgency; the priority follows from tuki.priority_matrix and a priority event is recorded. TK006 outside 1..3.';

CREATE FUNCTION tuki.ticket_escalate(id bigint, team text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    t tuki.ticket;
BEGIN
    PERFORM tuki.require_staff();
    PERFORM tuki.check_code('team', ticket_escalate.team, 'tuki.team');
    t := tuki.ticket_lock(ticket_escalate.id);
    IF t.team = ticket_escalate.team THEN
        PERFORM tuki.fail('TK006', format('ticket #%s is already with %s', t.id, t.team),
            format('Other teams: %s.', (SELECT string_agg(code, ', ' ORDER BY code) FROM tuki.team WHERE code <> t.team)),
            'Escalate to another team.');
    END IF;
    UPDATE tuki.ticket SET team = ticket_escalate.team, assignee = NULL WHERE id = t.id;
END
$$;
COMMENT ON FUNCTION tuki.ticket_escalate(bigint, text) IS 'Hands a ticket to another team (e.g. second_line -> third_line): it becomes unassigned in that team''s queue. Someone else''s ticket: its holder or a lead only (TK005, the holding rule of trigger ticket_before_update). TK006 for an unknown or the current team.';

CREATE FUNCTION tuki.ticket_edit(id bigint, type text DEFAULT NULL, contact text DEFAULT NULL,
                                 subject text DEFAULT NULL, channel text DEFAULT NULL, team text DEFAULT NULL)
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    t tuki.ticket;
    contact_id bigint;
    changed integer;
BEGIN
    PERFORM tuki.require_staff();
    IF num_nulls(ticket_edit.type, ticket_edit.contact, ticket_edit.subject, ticket_edit.channel, ticket_edit.team) = 5 THEN
        PERFORM tuki.fail('TK006', format('nothing to change on ticket #%s', ticket_edit.id),
            'Give at least one of type, contact, subject, channel and team.',
            'For example SELECT tuki.ticket_edit(42, type => ''bug'');');
    END IF;
    IF ticket_edit.type IS NOT NULL THEN
        PERFORM tuki.check_code('type', ticket_edit.type, 'tuki.ticket_type');
    END IF;
    IF ticket_edit.channel IS NOT NULL THEN
        PERFORM tuki.check_code('channel', ticket_edit.channel, 'tuki.channel');
    END IF;
    IF ticket_edit.team IS NOT NULL THEN
        PERFORM tuki.check_code('team', ticket_edit.team, 'tuki.team');
    END IF;
    IF ticket_edit.subject IS NOT NULL THEN
        PERFORM tuki.check_text('subject', ticket_edit.subject, 'subject');
    END IF;
    t := tuki.ticket_lock(ticket_edit.id);
    IF ticket_edit.contact IS NOT NULL THEN
        contact_id := tuki.contact_find(t.customer, ticket_edit.contact);
    END IF;
    changed := num_nonnulls(NULLIF(ticket_edit.type, t.type), NULLIF(contact_id, t.contact),
                            NULLIF(ticket_edit.subject, t.subject), NULLIF(ticket_edit.channel, t.channel),
                            NULLIF(ticket_edit.team, t.team));
    IF changed > 0 THEN
        -- a new team is an escalation: the ticket goes to that team's queue, unassigned (and the
        -- holding rule of trigger ticket_before_update applies)
        UPDATE tuki.ticket
           SET type = coalesce(ticket_edit.type, type), contact = coalesce(contact_id, contact),
               subject = coalesce(ticket_edit.subject, subject), channel = coalesce(ticket_edit.channel, channel),
               team = coalesce(ticket_edit.team, team),
               assignee = CASE WHEN coalesce(ticket_edit.team, team) <> team THEN NULL ELSE assignee END
         WHERE id = t.id;
    END IF;
    RETURN changed;
END
$$;
COMMENT ON FUNCTION tuki.ticket_edit(bigint, text, text, text, text, text) IS 'Changes a ticket''s type, contact (an address or full name of the ticket''s customer, tuki.contact_find), subject, channel and team; null leaves a field as it is. Returns how many fields changed. The history records one edit event naming each changed field with its from and to (team: an escalate event; the ticket leaves its holder as with tuki.ticket_escalate). TK006 for nothing given, an unknown type, channel, team, contact or ticket, or a blank subject; TK009 for a subject over tuki.limits(); TK008 on closed tickets; TK005 for a new team on someone else''s ticket unless a lead.';

CREATE FUNCTION tuki.worklog_add(id bigint, minutes integer, billable boolean DEFAULT false, note text DEFAULT NULL)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    me text := tuki.require_agent();
    t tuki.ticket;
    who tuki.contact;
BEGIN
    IF worklog_add.minutes IS NULL OR worklog_add.minutes NOT BETWEEN 1 AND tuki.limit_of('worklog_minutes') THEN
        PERFORM tuki.fail('TK006', format('minutes must be 1..%s, not %s', tuki.limit_of('worklog_minutes'),
                                          coalesce(worklog_add.minutes::text, 'NULL')),
            'One entry is at most a day of work (the limit worklog_minutes of tuki.limits()).', 'Log longer work as several entries.');
    END IF;
    PERFORM tuki.check_size('work log note', worklog_add.note, 'message_body');
    t := tuki.ticket_lock(worklog_add.id);
    IF t.status = 'closed' THEN
        PERFORM tuki.fail('TK008', format('ticket #%s is closed', t.id),
            'Closed is final: no work can be logged on it.', 'Open a new ticket that refers to it.');
    END IF;
    IF coalesce(worklog_add.billable, false) THEN
        SELECT * INTO who FROM tuki.contact c WHERE c.id = t.contact;
        IF who.id IS NULL OR NOT who.may_order_billable THEN
            PERFORM tuki.fail('TK004', format('billable work on ticket #%s needs a contact who may order it', t.id),
                format('%s. Contacts of %s who may order billable work: %s.',
                       CASE WHEN who.id IS NULL THEN 'The ticket has no contact'
                            ELSE format('%s is not authorised', who.name) END,
                       t.customer,
                       coalesce((SELECT string_agg(c.name, ', ' ORDER BY c.name) FROM tuki.contact c
                                  WHERE c.customer = t.customer AND c.may_order_billable AND c.active), 'none')),
                'Log it as non-billable (it counts against the quota), or get the order from an authorised contact.');
        END IF;
    END IF;
    -- who.id is the authorised contact checked above (null for non-billable work): the invoice names them
    INSERT INTO tuki.worklog (ticket, agent, minutes, billable, note, approved_by)
    VALUES (t.id, me, worklog_add.minutes, coalesce(worklog_add.billable, false), worklog_add.note, who.id);
END
$$;
COMMENT ON FUNCTION tuki.worklog_add(bigint, integer, boolean, text) IS 'Logs work by the calling agent. Billable work needs the ticket''s contact to have may_order_billable (TK004), who is recorded as having ordered it (approved_by). TK006 for minutes outside 1..tuki.limit_of(''worklog_minutes''), TK009 for a note over the message_body limit, TK008 on closed tickets.';

CREATE FUNCTION tuki.ticket_expect_version(id bigint, version integer) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    t tuki.ticket;
BEGIN
    PERFORM tuki.require_staff();
    t := tuki.ticket_lock(ticket_expect_version.id);
    IF t.version <> ticket_expect_version.version THEN
        PERFORM tuki.fail('TK003', format('ticket #%s was changed by someone else', t.id),
            format('You saw version %s; it is now version %s (last change %s).',
                   ticket_expect_version.version, t.version, t.updated_at),
            'Reload the ticket and try again.');
    END IF;
END
$$;
COMMENT ON FUNCTION tuki.ticket_expect_version(bigint, integer) IS 'Optimistic check: locks the ticket until the end of the transaction and raises TK003 when its version is no longer the one the client saw. Call it first in the transaction that changes the ticket.';

CREATE FUNCTION tuki.agent_register(login text, display_name text, team text, lead boolean) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    customers text;
BEGIN
    IF NOT tuki.actor_is_lead() THEN
        PERFORM tuki.fail('TK005', 'only a lead may register agents',
            'Leads and administrators manage tuki.agent.', 'Ask a team lead.');
    END IF;
    IF agent_register.login IS NULL OR agent_register.login !~ '^[a-z_][a-z0-9_.@-]{0,62}$' THEN
        PERFORM tuki.fail('TK006', format('invalid login %s', coalesce(quote_literal(agent_register.login), 'NULL')),
            'Logins are lower-case role names: letters, digits, _ . @ -, starting with a letter or _.', 'Use the person''s Unix user name.');
    END IF;
    IF agent_register.login LIKE 'tuki\_%' OR agent_register.login LIKE 'pg\_%' THEN
        PERFORM tuki.fail('TK006', format('%s is a reserved role name', agent_register.login),
            'Group and system roles cannot be agents.', 'Use the person''s own login.');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = agent_register.login) THEN
        PERFORM tuki.fail('TK006', format('role %s does not exist', agent_register.login),
            'An agent is a PostgreSQL login role; you may not create roles.',
            format('Ask a DBA: CREATE ROLE %I LOGIN;', agent_register.login));
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = agent_register.login AND rolsuper) THEN
        PERFORM tuki.fail('TK006', format('%s is a superuser', agent_register.login),
            'Agents work with ordinary login roles.', 'Register the person''s own, non-superuser login.');
    END IF;
    -- the role and every role that inherits its rights (its members, transitively): a group
    -- with a contact in it would give the contact tuki_agent's reading rights
    SELECT string_agg(DISTINCT r.rolname, ', ' ORDER BY r.rolname) INTO customers
      FROM (WITH RECURSIVE heir(oid) AS (
                SELECT r.oid FROM pg_roles r WHERE r.rolname = agent_register.login
                UNION
                SELECT m.member FROM pg_auth_members m JOIN heir h ON m.roleid = h.oid)
            SELECT oid FROM heir) h
      JOIN pg_roles r ON r.oid = h.oid
     WHERE tuki.role_is_customer(r.rolname) OR EXISTS (SELECT 1 FROM tuki.contact c WHERE c.login = r.rolname);
    IF customers IS NOT NULL THEN
        PERFORM tuki.fail('TK006', format('%s is or passes its rights to a customer contact''s login: %s', agent_register.login, customers),
            'A login is either an agent or a customer contact; a group role with a contact (or a member of tuki_customer) among its members, at any depth, cannot be an agent.',
            'Register each agent''s own login, or take the contacts out of the group first.');
    END IF;
    PERFORM tuki.check_text('display name', agent_register.display_name, NULL);
    IF agent_register.team IS NOT NULL THEN
        PERFORM tuki.check_code('team', agent_register.team, 'tuki.team');
    END IF;
    INSERT INTO tuki.agent (login, display_name, team, is_lead, active)
    VALUES (agent_register.login, agent_register.display_name, agent_register.team, coalesce(agent_register.lead, false), true)
    ON CONFLICT (login) DO UPDATE
       SET display_name = excluded.display_name, team = excluded.team, is_lead = excluded.is_lead, active = true;
    IF NOT EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.roleid = 'tuki_agent'::regrole
                                                    AND m.member = quote_ident(agent_register.login)::regrole) THEN
        EXECUTE format('GRANT tuki_agent TO %I', agent_register.login);
    END IF;
    IF coalesce(agent_register.lead, false) THEN
        IF NOT EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.roleid = 'tuki_lead'::regrole
                                                        AND m.member = quote_ident(agent_register.login)::regrole) THEN
            EXECUTE format('GRANT tuki_lead TO %I', agent_register.login);
        END IF;
    ELSIF EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.roleid = 'tuki_lead'::regrole
                                                   AND m.member = quote_ident(agent_register.login)::regrole) THEN
        EXECUTE format('REVOKE tuki_lead FROM %I', agent_register.login);
    END IF;
END
$$;
COMMENT ON FUNCTION tuki.agent_register(text, text, text, boolean) IS 'The privileged half of tuki.agent_add: leads only (TK005); validates the login (existing, non-superuser, neither it nor any of its members at any depth a contact or tuki_customer member), upserts tuki.agent and grants tuki_agent (and tuki_lead for leads).';

CREATE FUNCTION tuki.agent_add(login text, display_name text, team text DEFAULT NULL, lead boolean DEFAULT false)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    -- runs as the caller, so only a caller with CREATEROLE can create the missing login role
    IF NOT tuki.actor_is_lead() THEN
        PERFORM tuki.fail('TK005', 'only a lead may register agents',
            'Leads and administrators manage tuki.agent.', 'Ask a team lead.');
    END IF;
    IF agent_add.login ~ '^[a-z_][a-z0-9_.@-]{0,62}$' AND agent_add.login NOT LIKE 'tuki\_%' AND agent_add.login NOT LIKE 'pg\_%'
       AND NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = agent_add.login)
       AND (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
        EXECUTE format('CREATE ROLE %I LOGIN', agent_add.login);
    END IF;
    PERFORM tuki.agent_register(agent_add.login, agent_add.display_name, agent_add.team, agent_add.lead);
END
$$;
COMMENT ON FUNCTION tuki.agent_add(text, text, text, boolean) IS 'Registers (or updates) an agent: leads only (TK005). Creates the login role when it is missing and the caller may create roles (CREATEROLE or superuser), then grants tuki_agent, and tuki_lead when lead.';

-- The customer is told in their language: the message is one of the bug_* texts of
-- tuki.mail_template (016_mail.sql, looked up when it runs), which the reply mail then carries.
CREATE FUNCTION tuki.ticket_confirm_bug(id bigint, fix_version text DEFAULT NULL, fix_release date DEFAULT NULL)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    t tuki.ticket;
    version_given text := nullif(btrim(ticket_confirm_bug.fix_version), '');
    version_now text;
    release_now date;
BEGIN
    PERFORM tuki.require_staff();
    PERFORM tuki.check_size('fix version', version_given, 'subject');
    t := tuki.ticket_lock(ticket_confirm_bug.id);
    IF t.type <> 'bug' THEN
        PERFORM tuki.fail('TK006', format('ticket #%s is a %s, not a bug', t.id, t.type),
            'Only tickets of type bug are confirmed and get a fix version.', 'Check the ticket number.');
    END IF;
    version_now := coalesce(version_given, t.fix_version);
    -- a new version without a date drops the old version's date
    release_now := CASE WHEN ticket_confirm_bug.fix_release IS NOT NULL THEN ticket_confirm_bug.fix_release
                        WHEN version_given IS NULL OR version_given = t.fix_version THEN t.fix_release END;
    IF ticket_confirm_bug.fix_release IS NOT NULL AND version_now IS NULL THEN
        PERFORM tuki.fail('TK006', format('ticket #%s: a release date needs a fix version', t.id),
            'The date is when the version that fixes the bug is expected to be released.',
            'Give the version too: confirm ID VERSION DATE.');
    END IF;
    IF ticket_confirm_bug.fix_release < (tuki.now() AT TIME ZONE 'UTC')::date - 1 THEN
        PERFORM tuki.fail('TK006', format('ticket #%s: release date %s is in the past', t.id, ticket_confirm_bug.fix_release),
            'The expected release date of a fix is today or later.', 'Leave the date out when it is not known.');
    END IF;
    IF t.bug_confirmed AND (t.fix_version, t.fix_release) IS NOT DISTINCT FROM (version_now, release_now) THEN
        RETURN;
    END IF;
    UPDATE tuki.ticket SET bug_confirmed = true, fix_version = version_now, fix_release = release_now WHERE id = t.id;
    INSERT INTO tuki.message (ticket, visibility, body)
    SELECT t.id, 'public', r.text
      FROM tuki.mail_render(CASE WHEN version_now IS NULL THEN 'bug_confirmed'
                                 WHEN release_now IS NULL THEN 'bug_fix_version'
                                 ELSE 'bug_fix_release' END, t.id) r;
END
$$;
COMMENT ON FUNCTION tuki.ticket_confirm_bug(bigint, text, date) IS 'Confirms a bug (type bug, TK006 otherwise) and optionally sets the version that fixes it and the date that version is expected to be released (TK006 for a date without a version or in the past); the customer is told in a public message in their language (tuki.mail_template bug_confirmed, bug_fix_version or bug_fix_release). Calling it again with a new version or date updates them and tells the customer again; the same again changes nothing.';
GRANT EXECUTE ON FUNCTION tuki.ticket_confirm_bug(bigint, text, date) TO tuki_agent;

RESET ROLE;
