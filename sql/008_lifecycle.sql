-- The lifecycle, enforced by triggers for every writer (API, raw SQL, the owner): a ticket
-- starts new, moves only along tuki.transition, and its derived columns (priority, rank,
-- is_active) and version are the desk's. Trigger functions are SECURITY DEFINER where they read
-- tables a writer may not.
SET LOCAL ROLE tuki_owner;

CREATE FUNCTION tuki.actor_is_lead() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT tuki.actor_is_admin()
        OR EXISTS (SELECT 1 FROM tuki.agent a WHERE a.login = tuki.actor() AND a.is_lead AND a.active)
$$;
COMMENT ON FUNCTION tuki.actor_is_lead() IS 'True when tuki.actor() is an active lead agent, or the session user is a superuser or a member of tuki_owner.';

CREATE FUNCTION tuki.allowed_targets(from_status text) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(string_agg(t.to_status || CASE WHEN t.lead_only THEN ' (leads only)' ELSE '' END,
                               ', ' ORDER BY s.sort_order), 'none')
      FROM tuki.transition t JOIN tuki.status s ON s.code = t.to_status
     WHERE t.from_status = allowed_targets.from_status
$$;
COMMENT ON FUNCTION tuki.allowed_targets(text) IS 'The statuses a ticket in from_status may move to, as a readable list for error DETAILs, e.g. "open, resolved, closed (leads only)".';

-- The request: the columns of a ticket its people change (through the API, or a raw UPDATE a
-- DBA granted), listed once. A closed ticket's cannot change, and the history looks for its
-- kinds of change only where it or the status changed (tuki.ticket_history_events). A plain SQL
-- expression, inlined wherever it is used. (Not in a BEFORE trigger's WHEN: PostgreSQL refuses
-- a whole-row NEW there, tuki.ticket having a generated column.)
CREATE TYPE tuki.ticket_request AS (subject text, type text, channel text, impact integer, urgency integer,
                                    team text, assignee text, contact bigint, resolution text,
                                    bug_confirmed boolean, fix_version text, fix_release date);
COMMENT ON TYPE tuki.ticket_request IS 'The request part of a ticket: the columns its people change (subject, type, channel, impact, urgency, team, assignee, contact, resolution, bug_confirmed, fix_version, fix_release); see tuki.ticket_request(tuki.ticket).';
CREATE FUNCTION tuki.ticket_request(t tuki.ticket) RETURNS tuki.ticket_request
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT ROW(t.subject, t.type, t.channel, t.impact, t.urgency, t.team, t.assignee, t.contact,
               t.resolution, t.bug_confirmed, t.fix_version, t.fix_release)::tuki.ticket_request
$$;
COMMENT ON FUNCTION tuki.ticket_request(tuki.ticket) IS 'The request part of a ticket (tuki.ticket_request): compare it between the old and new row to see whether anything its people change has changed. Used by the lifecycle trigger (the closed-ticket rule) and the history.';

-- The derived columns of a ticket, in one place for insert and update: priority from the
-- matrix, the queue rank of its level, and whether its status is active (tuki.status). No SET
-- clause here nor in the two functions below (names are qualified): they run for every row a
-- trigger or a loaded history (tuki.history_load) changes, and a SET costs each call.
CREATE FUNCTION tuki.ticket_derive(t tuki.ticket) RETURNS tuki.ticket
    LANGUAGE plpgsql STABLE
AS $$
BEGIN
    -- one look-up, not three: a third of the cost per row (each is NOT NULL, so a missing one
    -- fails the row either way)
    SELECT m.priority, l.rank, s.is_active INTO t.priority, t.service_rank, t.is_active
      FROM tuki.priority_matrix m, tuki.service_level l, tuki.status s
     WHERE m.impact = t.impact AND m.urgency = t.urgency AND l.code = t.service_level AND s.code = t.status;
    RETURN t;
END
$$;
COMMENT ON FUNCTION tuki.ticket_derive(tuki.ticket) IS 'The ticket with its derived columns set: priority from tuki.priority_matrix (impact, urgency), service_rank from tuki.service_level, is_active from tuki.status. Used by the insert and update triggers of tuki.ticket.';

-- A ticket as it starts at time at: new, with the derived columns and the desk's timestamps,
-- whatever the writer supplied. The insert trigger and tuki.history_load (025) both use it.
CREATE FUNCTION tuki.ticket_started(t tuki.ticket, at timestamptz) RETURNS tuki.ticket
    LANGUAGE plpgsql STABLE
AS $$
BEGIN
    t := tuki.ticket_derive(t);
    t.created_at := at;
    t.updated_at := at;
    t.version := 1;
    t.responded_at := NULL;
    t.resolved_at := NULL;
    t.closed_at := NULL;
    t.resolution := NULL;
    RETURN t;
END
$$;
COMMENT ON FUNCTION tuki.ticket_started(tuki.ticket, timestamptz) IS 'A new ticket as the desk stores it, created at the given time: derived columns (tuki.ticket_derive), created_at = updated_at = at, version 1, no status timestamps or resolution. Used by trigger ticket_before_insert and by tuki.history_load.';

-- BEFORE INSERT: a ticket starts new; priority, rank and timestamps are the desk's, not the client's.
CREATE FUNCTION tuki.ticket_before_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM 'new' THEN
        PERFORM tuki.fail('TK001', format('a ticket cannot start as %s', NEW.status),
            'Every ticket starts as new.', 'Create it, then change its status with tuki.ticket_set_status.');
    END IF;
    RETURN tuki.ticket_started(NEW, tuki.now());
END
$$;
COMMENT ON FUNCTION tuki.ticket_before_insert() IS 'Trigger: a new ticket must be in status new (TK001); sets the derived columns, created_at/updated_at (tuki.now()), version 1, and clears client-supplied timestamps (tuki.ticket_started).';

-- The version and time of a change, the one version stamp: every update of a ticket, whoever
-- makes it. Not SECURITY DEFINER and no SET clause (it reads no table), so no user or
-- configuration switch per row.
CREATE FUNCTION tuki.ticket_stamp(n tuki.ticket, o tuki.ticket, at timestamptz) RETURNS tuki.ticket
    LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    n.version := o.version OPERATOR(pg_catalog.+) 1;
    n.updated_at := at;
    RETURN n;
END
$$;
COMMENT ON FUNCTION tuki.ticket_stamp(tuki.ticket, tuki.ticket, timestamptz) IS 'The ticket n after a change from o at time at: version = the old version + 1 and updated_at = at, whatever the client wrote. Used by the update trigger ticket_before_update and, in tuki.sla_recompute''s bulk rewrite, ticket_before_update_version.';

-- BEFORE UPDATE in bulk mode only (tuki.sla_recompute's rewrite, which nothing else checks):
-- the stamp. Every other update is stamped by ticket_before_update with its checks.
CREATE FUNCTION tuki.ticket_stamp_version() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    RETURN tuki.ticket_stamp(NEW, OLD, tuki.now());
END
$$;
COMMENT ON FUNCTION tuki.ticket_stamp_version() IS 'Trigger: version = the old version + 1 and updated_at = tuki.now() (tuki.ticket_stamp), for tuki.sla_recompute''s bulk rewrite.';

-- What a change of a ticket (o -> n) at time at does to its status timestamps and resolution
-- note, and its derived columns: resolving stamps resolved_at, closing closed_at (both stop an
-- unanswered response clock), reopening clears the note. The checks are the trigger's; the
-- update trigger and tuki.history_load (025) both derive through this.
CREATE FUNCTION tuki.ticket_lifecycle(n tuki.ticket, o tuki.ticket, at timestamptz) RETURNS tuki.ticket
    LANGUAGE plpgsql STABLE
AS $$
BEGIN
    n.resolved_at := o.resolved_at;
    n.closed_at := o.closed_at;
    IF n.status IS DISTINCT FROM o.status THEN
        IF n.status = 'resolved' THEN
            n.resolved_at := at;
            n.responded_at := coalesce(n.responded_at, n.resolved_at);
        ELSIF n.status = 'closed' THEN
            n.closed_at := at;
            -- closing unanswered (a lead's new -> closed) ends the response clock too
            n.responded_at := coalesce(n.responded_at, n.closed_at);
        ELSIF o.status = 'resolved' THEN
            n.resolved_at := NULL;          -- reopened: a new resolution will be needed
            n.resolution := NULL;
        END IF;
    ELSIF n.resolution IS DISTINCT FROM o.resolution AND n.status <> 'resolved' THEN
        n.resolution := o.resolution;       -- the note belongs to the act of resolving
    END IF;
    RETURN tuki.ticket_derive(n);
END
$$;
COMMENT ON FUNCTION tuki.ticket_lifecycle(tuki.ticket, tuki.ticket, timestamptz) IS 'The ticket n after a change from o at time at: resolved_at, closed_at and responded_at as resolving, closing and reopening set them, the resolution note kept only by resolving, and the derived columns (tuki.ticket_derive). No checks: trigger ticket_before_update checks first; tuki.history_load checks a whole history set-based.';

-- The lifecycle check of a change o -> n, for trigger ticket_before_update (010_sla_clocks.sql,
-- which derives, keeps the clocks and stamps after it, in one trigger call per row): raises on a
-- change the desk refuses, and returns n with responded_at as only a first reply sets it. Not
-- SECURITY DEFINER and no SET clause: it runs inside that trigger, which is.
CREATE FUNCTION tuki.ticket_checked(n tuki.ticket, o tuki.ticket) RETURNS tuki.ticket
    LANGUAGE plpgsql STABLE
AS $$
DECLARE
    lead_only boolean;
    first_reply timestamptz;
BEGIN
    IF n.id <> o.id OR n.customer <> o.customer OR n.created_at <> o.created_at THEN
        PERFORM tuki.fail('TK008', format('ticket #%s: id, customer and created_at cannot change', o.id),
            'These fields are fixed when the ticket is created.', 'Create a new ticket for another customer.');
    END IF;
    IF o.status = 'closed' AND n.status = 'closed'
       AND tuki.ticket_request(n) IS DISTINCT FROM tuki.ticket_request(o) THEN
        PERFORM tuki.fail('TK008', format('ticket #%s is closed', o.id),
            'Closed is final: nothing about a closed ticket can change.', 'Open a new ticket that refers to it.');
    END IF;

    -- the one rule of holding: only the holder or a lead takes a ticket from its holder, by
    -- whichever path (assign, release, escalate, a raw UPDATE a DBA granted)
    IF o.assignee IS NOT NULL AND n.assignee IS DISTINCT FROM o.assignee
       AND o.assignee <> tuki.actor() AND NOT tuki.actor_is_lead() THEN
        PERFORM tuki.fail('TK005', format('ticket #%s is held by %s; only they or a lead may take it from them', o.id, o.assignee),
            'Agents may assign unassigned tickets and hand on, release or escalate their own.',
            format('Ask %s or a lead.', o.assignee));
    END IF;

    -- timestamps are derived here (tuki.ticket_lifecycle); whatever the client wrote is ignored
    IF o.responded_at IS NULL AND n.responded_at IS NOT NULL THEN
        -- only the first public agent message may set it (tuki.message_after_insert does)
        SELECT min(m.at) INTO first_reply FROM tuki.message m
         WHERE m.ticket = o.id AND m.visibility = 'public' AND NOT m.from_customer;
        n.responded_at := first_reply;
    ELSE
        n.responded_at := o.responded_at;
    END IF;

    IF n.status IS DISTINCT FROM o.status THEN
        SELECT t.lead_only INTO lead_only FROM tuki.transition t
         WHERE t.from_status = o.status AND t.to_status = n.status;
        IF NOT FOUND THEN
            PERFORM tuki.fail('TK001', format('ticket #%s cannot go from %s to %s', o.id, o.status, n.status),
                format('From %s the allowed statuses are: %s.', o.status, tuki.allowed_targets(o.status)),
                CASE WHEN o.status = 'closed' THEN 'Closed is final; open a new ticket instead.'
                     ELSE 'Pick one of the allowed statuses; the lifecycle is in tuki.transition.' END);
        END IF;
        IF lead_only AND NOT tuki.actor_is_lead() THEN
            PERFORM tuki.fail('TK005', format('only a lead may move ticket #%s from %s to %s', o.id, o.status, n.status),
                format('From %s you may choose: %s.', o.status, tuki.allowed_targets(o.status)),
                'Ask a team lead to do it.');
        END IF;
        IF n.status = 'resolved'
           AND (n.resolution IS NULL OR tuki.is_blank(n.resolution) OR n.resolution IS NOT DISTINCT FROM o.resolution) THEN
            PERFORM tuki.fail('TK007', format('resolving ticket #%s needs a resolution note', o.id),
                'The note tells the customer what was done; it is stored in tuki.ticket.resolution.',
                'Use tuki.ticket_set_status(id, ''resolved'', ''what was done'').');
        END IF;
    END IF;

    RETURN n;
END
$$;
COMMENT ON FUNCTION tuki.ticket_checked(tuki.ticket, tuki.ticket) IS 'The lifecycle check of a change from o to n: only the holder or a lead takes a ticket from its holder (assignee changed from someone else: TK005); checks every status change against tuki.transition (TK001, lead-only moves TK005), needs a resolution note to resolve (TK007), keeps closed tickets closed (TK008); returns n with responded_at kept unless the first public agent message sets it. Called by trigger ticket_before_update (010_sla_clocks.sql) before tuki.ticket_lifecycle.';

CREATE TRIGGER ticket_before_insert BEFORE INSERT ON tuki.ticket
    FOR EACH ROW EXECUTE FUNCTION tuki.ticket_before_insert();
-- Every update but tuki.sla_recompute's bulk rewrite goes through one row trigger,
-- ticket_before_update (010_sla_clocks.sql): tuki.ticket_checked, tuki.ticket_lifecycle, the
-- SLA clocks and tuki.ticket_stamp. The bulk rewrite has nothing to check (its 100,000 rows make
-- no SECURITY DEFINER call and no look-up each) and is only stamped, here (the WHEN inlines
-- nothing: tuki.sla_bulk_mode returns at once when the setting is off).
CREATE TRIGGER ticket_before_update_version BEFORE UPDATE ON tuki.ticket
    FOR EACH ROW
    WHEN (tuki.sla_bulk_mode())
    EXECUTE FUNCTION tuki.ticket_stamp_version();
COMMENT ON TRIGGER ticket_before_insert ON tuki.ticket IS 'Starts every ticket as new with derived priority and timestamps.';
COMMENT ON TRIGGER ticket_before_update_version ON tuki.ticket IS 'Version and updated_at of tuki.sla_recompute''s bulk rewrite (every other update is stamped by ticket_before_update).';

RESET ROLE;
