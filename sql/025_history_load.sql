-- Loading a whole history at once: tuki.history_load, the one administrator-only way to write
-- tickets together with their past (tuki seed uses it). The production triggers know nothing of
-- it: the load replays every step through the same rules they apply (tuki.ticket_started,
-- tuki.ticket_lifecycle, tuki.ticket_sla_next, tuki.ticket_change_events, tuki.sla_alerts_due,
-- the event details of 009), checks every move against tuki.transition set-based, and then
-- writes each table with one INSERT while the triggers stand aside
-- (session_replication_role = replica, which only superusers may set, or a role a superuser
-- granted SET on it: tuki_owner is not, so that switching triggers off stays DDL, which
-- tuki.ddl_audit records). A rule changed in those functions reaches loaded histories by
-- itself.

SET LOCAL ROLE tuki_owner;

-- One step of a loaded history applied to a ticket (o) at time at: the asked changes, then the
-- lifecycle's timestamps and derived columns, the SLA clocks and the version stamp, exactly as
-- the row triggers of an UPDATE would leave the row. responded_at is the time of the ticket's
-- first public reply when this step made it (message_after_insert's rule).
CREATE FUNCTION tuki.history_next(o tuki.ticket, at timestamptz, status text, resolution text, assign boolean,
                                  assignee text, team text, impact integer, urgency integer, bug_confirmed boolean,
                                  fix_version text, responded_at timestamptz) RETURNS tuki.ticket
    LANGUAGE plpgsql STABLE
AS $$
DECLARE
    n tuki.ticket := o;
BEGIN
    n.status := coalesce(history_next.status, o.status);
    n.resolution := coalesce(history_next.resolution, o.resolution);
    IF history_next.assign THEN
        n.assignee := history_next.assignee;
    END IF;
    n.team := coalesce(history_next.team, o.team);
    n.impact := coalesce(history_next.impact, o.impact);
    n.urgency := coalesce(history_next.urgency, o.urgency);
    n.bug_confirmed := o.bug_confirmed OR coalesce(history_next.bug_confirmed, false);
    n.fix_version := coalesce(history_next.fix_version, o.fix_version);
    IF o.responded_at IS NULL THEN
        n.responded_at := history_next.responded_at;
    END IF;
    n := tuki.ticket_lifecycle(n, o, at);
    n := tuki.ticket_sla_next(n, o, at);
    n.version := o.version + 1;
    n.updated_at := at;
    RETURN n;
END
$$;
COMMENT ON FUNCTION tuki.history_next(tuki.ticket, timestamptz, text, text, boolean, text, text, integer, integer, boolean, text, timestamptz) IS 'For tuki.history_load: the ticket o after one step at time at (a null argument changes nothing; assign says whether assignee is set, to null too): the changes, tuki.ticket_lifecycle, tuki.ticket_sla_next, version + 1 and updated_at = at, as the row triggers of an UPDATE leave it.';

-- One sub-step of a round of tuki.history_load, for every ticket of the round at once: the
-- tickets its steps change (replies: those whose first public reply it holds; otherwise those
-- it asks to change) move on by tuki.history_next; their events are tuki.ticket_change_events,
-- as the statement trigger of an UPDATE writes them; the clocks that stopped or paused are
-- judged at the step's time by tuki.sla_alerts_due, each alert recorded once. seq orders the
-- events within the ticket's history.
CREATE FUNCTION tuki.history_apply(seq integer, warn_percent numeric, replies boolean) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    WITH c AS MATERIALIZED (
        SELECT s.id, s.t AS o, p.at, p.actor, s.calendar_id,
               CASE WHEN replies
                    THEN tuki.history_next(s.t, p.at, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, p.at)
                    ELSE tuki.history_next(s.t, p.at, p.status, p.resolution, p.assign, p.assignee, p.team, p.impact,
                                           p.urgency, p.bug_confirmed, p.fix_version, NULL) END AS n
          FROM history_round p JOIN history_state s ON s.id = p.ticket
         WHERE CASE WHEN replies
                    THEN p.msg_body IS NOT NULL AND p.msg_visibility = 'public' AND NOT p.msg_from_customer
                         AND (s.t).responded_at IS NULL
                    ELSE p.status IS NOT NULL OR p.assign OR p.team IS NOT NULL OR p.impact IS NOT NULL
                         OR p.urgency IS NOT NULL OR p.bug_confirmed OR p.fix_version IS NOT NULL END
    ), moved AS (
        UPDATE history_state s SET t = c.n FROM c WHERE s.id = c.id
    ), changes AS (
        INSERT INTO history_event (ticket, seq, at, actor, kind, detail)
        SELECT c.id, history_apply.seq + x.ord, c.at, c.actor, x.kind, x.detail
          FROM c CROSS JOIN LATERAL tuki.ticket_change_events(c.n, c.o) x
    ), due AS MATERIALIZED (
        SELECT c.id, c.at, d.clock, d.kind, d.due, d.target
          FROM c
         -- the open-time total judged with, as a column: a subquery among its arguments would
         -- keep tuki.sla_alerts_due from being inlined
         CROSS JOIN LATERAL tuki.open_before(c.calendar_id, c.at) b
         CROSS JOIN LATERAL tuki.sla_alerts_due((c.n).status, (c.n).responded_at, (c.n).response_target, (c.n).response_due,
                                               (c.n).response_due_cum, (c.n).resolve_target, (c.n).resolve_due,
                                               (c.n).resolve_due_cum, (c.n).resolve_used, (c.n).resolve_since, c.calendar_id,
                                               b.us, warn_percent) d
         WHERE ((c.o).responded_at IS NULL AND (c.n).responded_at IS NOT NULL)
            OR ((c.o).resolve_since IS NOT NULL AND (c.n).resolve_since IS NULL)
    ), fresh AS (
        INSERT INTO history_alert (ticket, clock, kind, at)
        SELECT due.id, due.clock, due.kind, due.at FROM due
        ON CONFLICT DO NOTHING
        RETURNING ticket, clock, kind
    )
    INSERT INTO history_event (ticket, seq, at, actor, kind, detail)
    SELECT due.id, history_apply.seq + 10 + CASE due.clock WHEN 'response' THEN 0 ELSE 2 END
                                          + CASE due.kind WHEN 'warning' THEN 0 ELSE 1 END,
           due.at, 'system', 'sla_' || due.kind, tuki.sla_alert_detail(due.clock, due.due, due.target)
      FROM fresh f JOIN due ON due.id = f.ticket AND due.clock = f.clock AND due.kind = f.kind;
END
$$;
COMMENT ON FUNCTION tuki.history_apply(integer, numeric, boolean) IS 'For tuki.history_load: applies one sub-step of the current round (the replies'' responded_at, or the asked changes) to the loaded tickets in its session''s table history_state, recording their events and SLA alerts.';

CREATE FUNCTION tuki.history_load() RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    SET jit = off                 -- a load's statements are many and short: compiling them costs more than it saves
    SET work_mem = '64MB'         -- the sorts and hashes of a batch of 10,000 tickets in memory
AS $$
DECLARE
    loaded bigint;
    rounds integer;
    pct numeric := tuki.sla_warning_percent();
    message_seq regclass := pg_get_serial_sequence('tuki.message', 'id')::regclass;
    worklog_seq regclass := pg_get_serial_sequence('tuki.worklog', 'id')::regclass;
    bad record;
    leads text[];
    replication_was text := current_setting('session_replication_role');
    cols text;
    vals text;
BEGIN
    IF NOT tuki.actor_is_admin() THEN
        PERFORM tuki.fail('TK005', 'only an administrator may load a history',
            'tuki.history_load writes tickets with their past and lets no trigger run; it is for the schema''s owners.',
            'Run it as a superuser or a member of tuki_owner (tuki seed does).');
    END IF;

    -- the writes below let no trigger run: session_replication_role, a superuser's parameter
    IF NOT has_parameter_privilege('session_replication_role', 'SET') THEN
        PERFORM tuki.fail('TK005', format('%s may not load a history: it needs to set session_replication_role', session_user),
            'tuki.history_load writes with the triggers standing aside (session_replication_role = replica), which only superusers may set.',
            'Run it as a superuser, or have one GRANT SET ON PARAMETER session_replication_role TO the administrator.');
    END IF;

    -- who may make a lead's moves and take a ticket from its holder (tuki.actor_is_lead)
    leads := ARRAY(SELECT a.login FROM tuki.agent a WHERE a.is_lead AND a.active);

    -- the load's own working tables, once per session (history_state without an index: each
    -- round rewrites its rows, and every statement joins it by hash)
    CREATE TEMP TABLE IF NOT EXISTS history_state (id bigint, t tuki.ticket, calendar_id integer);
    CREATE TEMP TABLE IF NOT EXISTS history_round (LIKE pg_temp.history_step);
    CREATE TEMP TABLE IF NOT EXISTS history_event (ticket bigint, seq integer, at timestamptz, actor text, kind text, detail jsonb);
    CREATE TEMP TABLE IF NOT EXISTS history_message (
        id bigint, ticket bigint, at timestamptz, author text, contact bigint, from_customer boolean, visibility text,
        channel text, body text, author_kind text, recorded_by text);
    CREATE TEMP TABLE IF NOT EXISTS history_worklog (
        id bigint, ticket bigint, agent text, at timestamptz, minutes integer, billable boolean, note text, approved_by bigint);
    CREATE TEMP TABLE IF NOT EXISTS history_alert (ticket bigint, clock text, kind text, at timestamptz,
                                                  PRIMARY KEY (ticket, clock, kind));
    TRUNCATE history_state, history_round, history_event, history_message, history_worklog, history_alert;

    -- Whoever acts is an agent, a contact's login or the desk itself.
    SELECT s.ticket, s.n, s.actor INTO bad
      FROM (SELECT h.id AS ticket, 0 AS n, h.actor FROM pg_temp.history_ticket h
            UNION ALL SELECT p.ticket, p.n, p.actor FROM pg_temp.history_step p) s
     WHERE s.actor IS DISTINCT FROM 'system'
       AND NOT EXISTS (SELECT 1 FROM tuki.agent a WHERE a.login = s.actor)
       AND NOT EXISTS (SELECT 1 FROM tuki.contact c WHERE c.login = s.actor)
     LIMIT 1;
    IF FOUND THEN
        PERFORM tuki.fail('TK005', format('ticket #%s, step %s: %s is not an agent, a contact''s login or system', bad.ticket, bad.n, bad.actor),
            'Every event of a history names who acted.', 'Name an agent (tuki.agent), a contact''s login or ''system''.');
    END IF;

    -- The tickets as they started (ticket_before_insert and the SLA row trigger's insert).
    INSERT INTO history_state (id, t, calendar_id)
    SELECT h.id,
           tuki.ticket_sla_next(tuki.ticket_started(jsonb_populate_record(NULL::tuki.ticket, jsonb_build_object(
               'id', h.id, 'customer', h.customer, 'contact', h.contact, 'contract', h.contract,
               'service_level', h.service_level, 'type', h.type, 'channel', h.channel, 'impact', h.impact,
               'urgency', h.urgency, 'subject', h.subject, 'team', h.team, 'status', 'new',
               'bug_confirmed', false)), h.created_at), NULL, h.created_at),
           k.id
      FROM pg_temp.history_ticket h
      JOIN tuki.contract c ON c.id = h.contract
      JOIN tuki.calendar k ON k.code = c.calendar;
    GET DIAGNOSTICS loaded = ROW_COUNT;
    -- not analyzed: planned from its size it joins as well, and ANALYZE of the composite
    -- column cost more than the rest of the load's statements on it
    INSERT INTO history_event (ticket, seq, at, actor, kind, detail)
    SELECT s.id, x.seq, (s.t).created_at, h.actor, x.kind, x.detail
      FROM history_state s JOIN pg_temp.history_ticket h ON h.id = s.id
     CROSS JOIN LATERAL (VALUES (0, 'created', tuki.ticket_created_detail(s.t)),
                                (1, 'sla_recalc', tuki.sla_event_detail('created', (s.t).response_target, (s.t).response_due,
                                                                        (s.t).responded_at, (s.t).resolve_target, (s.t).resolve_due,
                                                                        (s.t).resolve_used, (s.t).resolve_since))) x(seq, kind, detail);

    SELECT max(p.n) INTO rounds FROM pg_temp.history_step p;
    FOR r IN 1 .. coalesce(rounds, 0) LOOP
        -- DELETE, not TRUNCATE, and no ANALYZE: either would make every statement below that
        -- reads the round plan again in every round
        DELETE FROM history_round;
        INSERT INTO history_round SELECT * FROM pg_temp.history_step p WHERE p.n = r;

        -- The rules of a move (ticket_before_update, message_before_insert), for the whole round.
        -- (MATERIALIZED: planned for all of the round's rows, a hash join, not for the first
        -- row the LIMIT asks for, a nested loop that compared every step with every ticket)
        WITH v AS MATERIALIZED (
                SELECT p.ticket, p.actor, o.status AS from_status, p.status AS to_status,
                       CASE WHEN p.msg_body IS NOT NULL AND o.status = 'closed' THEN 'TK008'
                            WHEN p.status IS NULL OR p.status = o.status THEN
                                CASE WHEN p.assign AND o.assignee IS NOT NULL AND p.assignee IS DISTINCT FROM o.assignee
                                          AND o.assignee <> p.actor AND NOT (p.actor = ANY (leads)) THEN 'TK005h' END
                            WHEN x.from_status IS NULL THEN 'TK001'
                            WHEN x.lead_only AND NOT (p.actor = ANY (leads)) THEN 'TK005'
                            WHEN p.assign AND o.assignee IS NOT NULL AND p.assignee IS DISTINCT FROM o.assignee
                                 AND o.assignee <> p.actor AND NOT (p.actor = ANY (leads)) THEN 'TK005h'
                            WHEN p.status = 'resolved' AND tuki.is_blank(p.resolution) IS NOT FALSE THEN 'TK007'
                       END AS code
                  FROM history_round p
                  JOIN history_state s ON s.id = p.ticket
                 CROSS JOIN LATERAL (SELECT (s.t).status, (s.t).assignee) o
                  LEFT JOIN tuki.transition x ON x.from_status = o.status AND x.to_status = p.status
                 WHERE p.msg_body IS NOT NULL OR p.status IS NOT NULL OR p.assign)
        SELECT v.* INTO bad FROM v
         WHERE v.code IS NOT NULL
         ORDER BY v.ticket
         LIMIT 1;
        IF FOUND THEN
            CASE bad.code
            WHEN 'TK008' THEN
                PERFORM tuki.fail('TK008', format('ticket #%s is closed (step %s)', bad.ticket, r),
                    'Closed is final: no messages can be added.', 'Fix the history: nothing follows a close.');
            WHEN 'TK001' THEN
                PERFORM tuki.fail('TK001', format('ticket #%s cannot go from %s to %s (step %s)', bad.ticket, bad.from_status, bad.to_status, r),
                    format('From %s the allowed statuses are: %s.', bad.from_status, tuki.allowed_targets(bad.from_status)),
                    'Fix the history: every move must be in tuki.transition.');
            WHEN 'TK005' THEN
                PERFORM tuki.fail('TK005', format('only a lead may move ticket #%s from %s to %s (step %s, by %s)', bad.ticket, bad.from_status, bad.to_status, r, bad.actor),
                    format('From %s an agent may choose: %s.', bad.from_status, tuki.allowed_targets(bad.from_status)),
                    'Fix the history: let a lead make the move.');
            WHEN 'TK005h' THEN
                PERFORM tuki.fail('TK005', format('ticket #%s is held by someone else; %s may not take it from them (step %s)', bad.ticket, bad.actor, r),
                    'Only the holder or a lead takes a ticket from its holder.', 'Fix the history: let the holder or a lead do it.');
            ELSE
                PERFORM tuki.fail('TK007', format('resolving ticket #%s needs a resolution note (step %s)', bad.ticket, r),
                    'The note tells the customer what was done.', 'Fix the history: give the step a resolution.');
            END CASE;
        END IF;

        -- The round's messages (message_before_insert, message_set_author, message_after_insert):
        -- their events, then the first public reply's responded_at.
        WITH m AS (
            INSERT INTO history_message (id, ticket, at, author, contact, from_customer, visibility, channel, body,
                                         author_kind, recorded_by)
            SELECT nextval(message_seq), p.ticket, p.at, p.actor, p.msg_contact, p.msg_from_customer, p.msg_visibility,
                   p.msg_channel, p.msg_body,
                   CASE WHEN p.msg_from_customer THEN 'contact' WHEN p.actor = 'system' THEN 'system' ELSE 'agent' END,
                   CASE WHEN p.msg_from_customer THEN p.msg_recorded_by END
              FROM (SELECT * FROM history_round p WHERE p.msg_body IS NOT NULL ORDER BY p.ticket) p
            RETURNING id, ticket, at, author, contact, visibility, channel, from_customer
        )
        INSERT INTO history_event (ticket, seq, at, actor, kind, detail)
        SELECT m.ticket, r * 1000 + 100, m.at, m.author, tuki.message_event_kind(m.from_customer, m.visibility),
               tuki.message_event_detail(m.id, m.visibility, m.channel, m.contact)
          FROM m;
        PERFORM tuki.history_apply(r * 1000 + 200, pct, true);

        -- The round's changes of the ticket.
        PERFORM tuki.history_apply(r * 1000 + 400, pct, false);

        -- The round's work (worklog_after_insert).
        WITH w AS (
            INSERT INTO history_worklog (id, ticket, agent, at, minutes, billable, note, approved_by)
            SELECT nextval(worklog_seq), p.ticket, p.actor, p.at, p.work_minutes, p.work_billable, p.work_note,
                   p.work_approved_by
              FROM (SELECT * FROM history_round p WHERE p.work_minutes IS NOT NULL ORDER BY p.ticket) p
            RETURNING id, ticket, agent, at, minutes, billable
        )
        INSERT INTO history_event (ticket, seq, at, actor, kind, detail)
        SELECT w.ticket, r * 1000 + 900, w.at, w.agent, 'worklog', tuki.worklog_event_detail(w.id, w.agent, w.minutes, w.billable)
          FROM w;
    END LOOP;

    -- The writes: one INSERT per table, no trigger (the rules ran above). The refusal triggers
    -- fire ALWAYS and concern no INSERT. Every column of tuki.ticket but the generated ones.
    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum),
           string_agg('(s.t).' || quote_ident(a.attname), ', ' ORDER BY a.attnum)
      INTO cols, vals
      FROM pg_attribute a
     WHERE a.attrelid = 'tuki.ticket'::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '';
    PERFORM set_config('session_replication_role', 'replica', true);
    EXECUTE format('INSERT INTO tuki.ticket (%s) SELECT %s FROM pg_temp.history_state s ORDER BY s.id', cols, vals);
    INSERT INTO tuki.message (id, ticket, at, author, contact, from_customer, visibility, channel, body, author_kind, recorded_by)
    SELECT id, ticket, at, author, contact, from_customer, visibility, channel, body, author_kind, recorded_by
      FROM history_message ORDER BY id;
    INSERT INTO tuki.worklog (id, ticket, agent, at, minutes, billable, note, approved_by)
    SELECT id, ticket, agent, at, minutes, billable, note, approved_by FROM history_worklog ORDER BY id;
    INSERT INTO tuki.ticket_event (ticket, at, actor, kind, detail)
    SELECT ticket, at, actor, kind, detail FROM history_event ORDER BY ticket, seq;
    INSERT INTO tuki.sla_alert (ticket, clock, kind, at) SELECT ticket, clock, kind, at FROM history_alert ORDER BY ticket, clock, kind;
    PERFORM set_config('session_replication_role', replication_was, true);
    RETURN loaded;
END
$$;
COMMENT ON FUNCTION tuki.history_load() IS 'Loads tickets with their whole past, for administrators only (superusers and members of tuki_owner; TK005 for anyone else) who may set session_replication_role (superusers, or a role granted SET on it; TK005 otherwise): reads the session''s temporary tables history_ticket (id, customer, contact, contract, service_level, type, channel, impact, urgency, subject, team, created_at, actor) and history_step (ticket, n, at, actor; msg_body, msg_visibility, msg_from_customer, msg_channel, msg_contact, msg_recorded_by; status, resolution, assign, assignee, team, impact, urgency, bug_confirmed, fix_version; work_minutes, work_billable, work_note, work_approved_by), replays step n of every ticket round by round through the desk''s rules (tuki.history_next, tuki.ticket_change_events, tuki.sla_alerts_due), refuses an illegal step (TK001 not in tuki.transition, TK005 lead-only move or holder''s ticket, TK007 resolving without a note, TK008 a message after closing) and writes tuki.ticket, tuki.message, tuki.worklog, tuki.ticket_event and tuki.sla_alert with one INSERT each while no trigger runs (session_replication_role = replica for those INSERTs: no notification, no mail). Returns the number of tickets loaded. tuki seed uses it.';

RESET ROLE;
