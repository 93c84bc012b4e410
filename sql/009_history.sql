-- The history: an event for every change of a ticket (statement triggers, one NOTIFY each),
-- messages and work logged, and the refusal to change or delete any of it (TK002).
SET LOCAL ROLE tuki_owner;

-- The detail of a ticket's created event, of an agent's message's event, of a work log's event:
-- each written once, for the statement triggers below and for tuki.history_load (025).
CREATE FUNCTION tuki.ticket_created_detail(n tuki.ticket) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT jsonb_build_object('customer', n.customer, 'contact', n.contact, 'contract', n.contract,
                              'service_level', n.service_level, 'type', n.type, 'channel', n.channel,
                              'impact', n.impact, 'urgency', n.urgency, 'priority', n.priority,
                              'team', n.team, 'subject', n.subject)
$$;
COMMENT ON FUNCTION tuki.ticket_created_detail(tuki.ticket) IS 'The detail of a ticket''s created event: what it was created with.';

CREATE FUNCTION tuki.message_event_kind(from_customer boolean, visibility text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN from_customer THEN 'customer_message' WHEN visibility = 'public' THEN 'reply' ELSE 'note' END $$;
COMMENT ON FUNCTION tuki.message_event_kind(boolean, text) IS 'The kind of event a message records: customer_message for the customer''s words, reply for a public message of the desk, note for an internal one.';

CREATE FUNCTION tuki.message_event_detail(message bigint, visibility text, channel text, contact bigint) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT jsonb_strip_nulls(jsonb_build_object('message', message, 'visibility', visibility, 'channel', channel, 'contact', contact)) $$;
COMMENT ON FUNCTION tuki.message_event_detail(bigint, text, text, bigint) IS 'The detail of a message''s event: the message, its visibility, channel and contact.';

CREATE FUNCTION tuki.worklog_event_detail(worklog bigint, agent text, minutes integer, billable boolean) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT jsonb_build_object('worklog', worklog, 'agent', agent, 'minutes', minutes, 'billable', billable) $$;
COMMENT ON FUNCTION tuki.worklog_event_detail(bigint, text, integer, boolean) IS 'The detail of a worklog event: the entry, the agent, minutes and whether billable.';

-- AFTER, per statement: history rows and one notification.
CREATE FUNCTION tuki.ticket_after_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ids bigint[];
BEGIN
    INSERT INTO tuki.ticket_event (ticket, kind, detail)
    SELECT n.id, 'created', tuki.ticket_created_detail(n::tuki.ticket)
      FROM new_rows n ORDER BY n.id;
    SELECT array_agg(n.id ORDER BY n.id) INTO ids FROM new_rows n;
    PERFORM tuki.notify('ticket', ids);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION tuki.ticket_after_insert() IS 'Statement trigger: records a created event per new ticket and sends one notification.';

-- What a change of one ticket records in its history: one row per kind of change, each with
-- its detail, in this order (ord). A plain SQL function, inlined into the row trigger of UPDATE
-- (ticket_after_update_row, 010_sla_clocks.sql), which writes these and the SLA's events of a
-- change in one INSERT.
CREATE FUNCTION tuki.ticket_history_events(n tuki.ticket, o tuki.ticket)
    RETURNS TABLE (ord integer, kind text, detail jsonb)
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT e.ord, e.kind, e.detail
      FROM (SELECT unnest(ARRAY[1, 2, 3, 4, 5, 6]) AS ord,
                   unnest(ARRAY['status', 'assign', 'escalate', 'priority', 'responded', 'edit']) AS kind,
                   unnest(ARRAY[
        -- status
        CASE WHEN n.status IS DISTINCT FROM o.status THEN
             jsonb_strip_nulls(jsonb_build_object('from', o.status, 'to', n.status,
                                                  'resolution', CASE WHEN n.status = 'resolved' THEN n.resolution END)) END,
        -- assign
        CASE WHEN n.assignee IS DISTINCT FROM o.assignee THEN
             jsonb_build_object('from', o.assignee, 'to', n.assignee) END,
        -- escalate
        CASE WHEN n.team IS DISTINCT FROM o.team THEN
             jsonb_build_object('from', o.team, 'to', n.team) END,
        -- priority
        CASE WHEN (n.impact, n.urgency) IS DISTINCT FROM (o.impact, o.urgency) THEN
             jsonb_build_object('from', o.priority, 'to', n.priority, 'impact', n.impact, 'urgency', n.urgency,
                                'old_impact', o.impact, 'old_urgency', o.urgency) END,
        -- responded
        CASE WHEN n.responded_at IS DISTINCT FROM o.responded_at THEN
             jsonb_build_object('at', n.responded_at) END,
        -- edit
        CASE WHEN (n.subject, n.type, n.contact, n.channel, n.bug_confirmed, n.fix_version, n.fix_release, n.service_level)
                               IS DISTINCT FROM (o.subject, o.type, o.contact, o.channel, o.bug_confirmed, o.fix_version, o.fix_release, o.service_level) THEN
             (SELECT jsonb_object_agg(f.k, jsonb_build_object('from', f.a, 'to', f.b))
                FROM (VALUES ('subject', to_jsonb(o.subject), to_jsonb(n.subject)),
                             ('type', to_jsonb(o.type), to_jsonb(n.type)),
                             ('contact', to_jsonb(o.contact), to_jsonb(n.contact)),
                             ('channel', to_jsonb(o.channel), to_jsonb(n.channel)),
                             ('bug_confirmed', to_jsonb(o.bug_confirmed), to_jsonb(n.bug_confirmed)),
                             ('fix_version', to_jsonb(o.fix_version), to_jsonb(n.fix_version)),
                             ('fix_release', to_jsonb(o.fix_release), to_jsonb(n.fix_release)),
                             ('service_level', to_jsonb(o.service_level), to_jsonb(n.service_level))) f(k, a, b)
               WHERE f.a IS DISTINCT FROM f.b) END]) AS detail
             -- a change none of the six can apply to (an SLA-only rewrite) stops here: they look
             -- at the request (tuki.ticket_request), the status, responded_at and the level
             WHERE (tuki.ticket_request(n), n.status, n.responded_at, n.service_level)
                   IS DISTINCT FROM (tuki.ticket_request(o), o.status, o.responded_at, o.service_level)) e
     WHERE e.detail IS NOT NULL
$$;
COMMENT ON FUNCTION tuki.ticket_history_events(tuki.ticket, tuki.ticket) IS 'The history events one change of a ticket (new row n, old row o) records, in order: status, assign, escalate, priority, responded and edit, each with its detail (what changed from what). Written by the row trigger ticket_after_update_row.';

CREATE TRIGGER ticket_after_insert AFTER INSERT ON tuki.ticket
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tuki.ticket_after_insert();
COMMENT ON TRIGGER ticket_after_insert ON tuki.ticket IS 'History (created) and notification for new tickets.';
-- The history and notification of an UPDATE: triggers ticket_after_update_row and
-- ticket_after_update, created with the SLA clocks (010_sla_clocks.sql) because one INSERT
-- writes both kinds of event.

-- Messages: author and time are the desk's; closed tickets take no more.
CREATE FUNCTION tuki.message_before_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF (SELECT t.status FROM tuki.ticket t WHERE t.id = NEW.ticket) = 'closed' THEN
        PERFORM tuki.fail('TK008', format('ticket #%s is closed', NEW.ticket),
            'Closed is final: no messages can be added.', 'Open a new ticket that refers to it.');
    END IF;
    NEW.at := tuki.now();
    NEW.author := tuki.actor();
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION tuki.message_before_insert() IS 'Trigger: refuses messages on closed tickets (TK008); sets at = tuki.now() and author = tuki.actor().';

-- The history is append-only for everyone, the owner included: the events, the messages, and
-- the tickets they belong to (closed, never deleted: the history would lose its subject, and
-- nothing else keeps an event's ticket there, see ticket_event_ticket_exists).
CREATE FUNCTION tuki.history_refuse() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    CASE TG_TABLE_NAME
    WHEN 'ticket_event' THEN
        PERFORM tuki.fail('TK002', format('the ticket history is append-only (%s refused)', TG_OP),
            'Rows in tuki.ticket_event can only be added, by the desk''s own triggers.',
            'Record a correction as a new event through the API, e.g. a note.');
    WHEN 'message' THEN
        PERFORM tuki.fail('TK002', format('messages cannot be changed or deleted (%s refused)', TG_OP),
            'A message is part of the ticket''s history once written.', 'Add a new message or note that corrects it.');
    ELSE
        PERFORM tuki.fail('TK002', format('tickets are never deleted (%s refused)', TG_OP),
            'A ticket and its history stay in tuki.ticket and tuki.ticket_event for good.',
            'Close the ticket instead: resolve it, then close it (a lead may close a new ticket at once).');
    END CASE;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION tuki.history_refuse() IS 'Trigger: raises TK002 for UPDATE, DELETE and TRUNCATE of tuki.ticket_event and tuki.message, and DELETE and TRUNCATE of tuki.ticket.';

CREATE FUNCTION tuki.message_after_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ids bigint[];
BEGIN
    INSERT INTO tuki.ticket_event (ticket, kind, detail)
    SELECT n.ticket, tuki.message_event_kind(n.from_customer, n.visibility),
           tuki.message_event_detail(n.id, n.visibility, n.channel, n.contact)
      FROM new_rows n ORDER BY n.id;
    -- the first public agent message stops the response clock
    UPDATE tuki.ticket t SET responded_at = r.at
      FROM (SELECT n.ticket, min(n.at) AS at FROM new_rows n
             WHERE n.visibility = 'public' AND NOT n.from_customer GROUP BY n.ticket) r
     WHERE t.id = r.ticket AND t.responded_at IS NULL;
    SELECT array_agg(DISTINCT n.ticket ORDER BY n.ticket) INTO ids FROM new_rows n;
    PERFORM tuki.notify('ticket', ids);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION tuki.message_after_insert() IS 'Statement trigger: records reply/note/customer_message events, sets tuki.ticket.responded_at on the first public agent message, sends one notification.';

CREATE TRIGGER message_before_insert BEFORE INSERT ON tuki.message
    FOR EACH ROW EXECUTE FUNCTION tuki.message_before_insert();
CREATE TRIGGER message_before_change BEFORE UPDATE OR DELETE ON tuki.message
    FOR EACH ROW EXECUTE FUNCTION tuki.history_refuse();
CREATE TRIGGER message_after_insert AFTER INSERT ON tuki.message
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tuki.message_after_insert();
COMMENT ON TRIGGER message_before_insert ON tuki.message IS 'Stamps author and time; no messages on closed tickets.';
CREATE TRIGGER message_no_truncate BEFORE TRUNCATE ON tuki.message
    FOR EACH STATEMENT EXECUTE FUNCTION tuki.history_refuse();
COMMENT ON TRIGGER message_before_change ON tuki.message IS 'Messages are never edited or deleted (TK002).';
COMMENT ON TRIGGER message_no_truncate ON tuki.message IS 'TRUNCATE raises TK002, for every role.';
COMMENT ON TRIGGER message_after_insert ON tuki.message IS 'History, responded_at and notification for new messages.';

CREATE FUNCTION tuki.worklog_after_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ids bigint[];
BEGIN
    INSERT INTO tuki.ticket_event (ticket, kind, detail)
    SELECT n.ticket, 'worklog', tuki.worklog_event_detail(n.id, n.agent, n.minutes, n.billable)
      FROM new_rows n ORDER BY n.id;
    SELECT array_agg(DISTINCT n.ticket ORDER BY n.ticket) INTO ids FROM new_rows n;
    PERFORM tuki.notify('ticket', ids);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION tuki.worklog_after_insert() IS 'Statement trigger: records a worklog event per entry and sends one notification.';

CREATE TRIGGER worklog_after_insert AFTER INSERT ON tuki.worklog
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tuki.worklog_after_insert();
COMMENT ON TRIGGER worklog_after_insert ON tuki.worklog IS 'History and notification for logged work.';

-- Not SECURITY DEFINER and without a SET clause: it runs for every event
-- row, always inside the owner's triggers (clients cannot insert events).
CREATE FUNCTION tuki.ticket_event_stamp() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    NEW.at := tuki.now();
    NEW.actor := tuki.actor();
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION tuki.ticket_event_stamp() IS 'Trigger: every event gets at = tuki.now() and actor = tuki.actor(), whatever the inserter wrote.';

-- WHEN: the column defaults (tuki.now(), tuki.actor()) already stamp an event whose inserter
-- left at and actor alone, as the desk's triggers do; the trigger corrects anything else. The
-- test uses built-ins only, so 100,000 events of an SLA rewrite make no PL/pgSQL call each.
CREATE TRIGGER ticket_event_stamp BEFORE INSERT ON tuki.ticket_event
    FOR EACH ROW WHEN (NEW.at IS DISTINCT FROM pg_catalog.now()
                       OR NEW.actor IS DISTINCT FROM session_user::text)
    EXECUTE FUNCTION tuki.ticket_event_stamp();
CREATE TRIGGER ticket_event_no_change BEFORE UPDATE OR DELETE ON tuki.ticket_event
    FOR EACH ROW EXECUTE FUNCTION tuki.history_refuse();
CREATE TRIGGER ticket_event_no_truncate BEFORE TRUNCATE ON tuki.ticket_event
    FOR EACH STATEMENT EXECUTE FUNCTION tuki.history_refuse();
COMMENT ON TRIGGER ticket_event_stamp ON tuki.ticket_event IS 'Stamps time and actor of each event.';
COMMENT ON TRIGGER ticket_event_no_change ON tuki.ticket_event IS 'UPDATE and DELETE raise TK002, for every role.';
COMMENT ON TRIGGER ticket_event_no_truncate ON tuki.ticket_event IS 'TRUNCATE raises TK002, for every role.';

-- What a foreign key from ticket_event to ticket would guarantee, for a whole statement at once:
-- one anti-join of its new events with tuki.ticket, no row lock on the ticket for every event
-- (the foreign key's look-up and lock were 0.37 s of a 100,000-ticket SLA rewrite; this check
-- 0.1 s). Since no ticket is ever deleted (below), no later change can make a checked event
-- an orphan, and no lock is needed to keep one from becoming one.
-- A look-up in ticket_pkey for each event (a subquery the planner keeps as it is, not a join
-- whose method a plan kept for the session would fix: a hash join planned for a big statement
-- read the whole ticket table for every later small one, 1.2 ms per statement of a
-- 20,000-ticket seed).
CREATE FUNCTION tuki.ticket_event_check_ticket() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    missing bigint;
BEGIN
    SELECT n.ticket INTO missing
      FROM new_rows n
     WHERE (SELECT t.id FROM tuki.ticket t WHERE t.id = n.ticket) IS NULL
     LIMIT 1;
    IF FOUND THEN
        RAISE foreign_key_violation USING
            MESSAGE = format('ticket #%s does not exist: an event needs its ticket', missing),
            DETAIL = 'Every row of tuki.ticket_event belongs to a row of tuki.ticket.',
            HINT = 'Events are written by the desk''s own triggers; change the ticket through the API.';
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION tuki.ticket_event_check_ticket() IS 'Statement trigger: refuses events whose ticket does not exist (SQLSTATE 23503, as a foreign key would).';
-- WHEN: events written by a statement outside any trigger: the API's own, and whatever an
-- administrator inserts by hand. The desk's triggers (trigger depth above 0) write events only
-- for the rows that fired them (a ticket, or a message or work log whose foreign key names its
-- ticket) or for tickets they read from tuki.ticket, which no one deletes; checking those again
-- cost every status change a PL/pgSQL call of 15 us (track_functions).
CREATE TRIGGER ticket_event_ticket_exists AFTER INSERT ON tuki.ticket_event
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    WHEN (pg_catalog.pg_trigger_depth() = 0)
    EXECUTE FUNCTION tuki.ticket_event_check_ticket();
COMMENT ON TRIGGER ticket_event_ticket_exists ON tuki.ticket_event IS 'Every event belongs to an existing ticket (the foreign key, checked per statement) for statements outside triggers; the desk''s triggers write events of the rows that fired them.';

-- Tickets are closed, never deleted; messages, work and alerts refer to them by foreign key,
-- the history relies on this refusal alone.
CREATE TRIGGER ticket_no_delete BEFORE DELETE ON tuki.ticket
    FOR EACH ROW EXECUTE FUNCTION tuki.history_refuse();
CREATE TRIGGER ticket_no_truncate BEFORE TRUNCATE ON tuki.ticket
    FOR EACH STATEMENT EXECUTE FUNCTION tuki.history_refuse();
COMMENT ON TRIGGER ticket_no_delete ON tuki.ticket IS 'DELETE raises TK002, for every role: tickets are closed, not deleted.';
COMMENT ON TRIGGER ticket_no_truncate ON tuki.ticket IS 'TRUNCATE raises TK002, for every role.';

RESET ROLE;
