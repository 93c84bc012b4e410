-- 020: tickets that belong together. link relates two tickets (an incident to its problem, a
-- customer's report to the bug behind it); merge closes a duplicate with a pointer to the
-- ticket that carries on. History is append-only (messages and events never change, TK002), so
-- nothing of the duplicate moves: its messages, events and work log stay where they were
-- written and are referenced from the surviving ticket (tuki.ticket_links_of, the merge event).
SET LOCAL ROLE tuki_owner;

CREATE TABLE tuki.ticket_link (
    ticket  bigint NOT NULL REFERENCES tuki.ticket (id),
    related bigint NOT NULL REFERENCES tuki.ticket (id),
    kind    text NOT NULL CHECK (kind IN ('relates', 'merged_into')),
    at      timestamptz NOT NULL DEFAULT tuki.now(),
    actor   text NOT NULL DEFAULT tuki.actor(),
    PRIMARY KEY (ticket, related),
    CHECK (ticket <> related)
);
-- one link per pair, whichever way round it was made
CREATE UNIQUE INDEX ticket_link_pair ON tuki.ticket_link (least(ticket, related), greatest(ticket, related));
CREATE INDEX ticket_link_related ON tuki.ticket_link (related);
COMMENT ON TABLE tuki.ticket_link IS 'Tickets that belong together, one row per pair: relates (tuki.ticket_link_add) or merged_into (tuki.ticket_merge: ticket is the closed duplicate, related the ticket that carries on). Written by the API only; never changed or deleted (TK002).';
COMMENT ON COLUMN tuki.ticket_link.ticket IS 'The ticket the link was made from (for merged_into: the duplicate, now closed).';
COMMENT ON COLUMN tuki.ticket_link.related IS 'The other ticket (for merged_into: the one the duplicate was merged into).';
COMMENT ON COLUMN tuki.ticket_link.kind IS 'relates or merged_into.';
COMMENT ON COLUMN tuki.ticket_link.at IS 'When it was made (tuki.now()).';
COMMENT ON COLUMN tuki.ticket_link.actor IS 'Who made it (tuki.actor()).';

CREATE FUNCTION tuki.ticket_link_frozen() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM tuki.fail('TK002', 'ticket links are never changed or deleted',
        'A link and a merge are part of both tickets'' history.', 'Note on the ticket why a link no longer applies.');
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION tuki.ticket_link_frozen() IS 'Trigger: refuses UPDATE, DELETE and TRUNCATE of tuki.ticket_link (TK002).';
CREATE TRIGGER ticket_link_no_update BEFORE UPDATE OR DELETE ON tuki.ticket_link
    FOR EACH ROW EXECUTE FUNCTION tuki.ticket_link_frozen();
CREATE TRIGGER ticket_link_no_truncate BEFORE TRUNCATE ON tuki.ticket_link
    FOR EACH STATEMENT EXECUTE FUNCTION tuki.ticket_link_frozen();
COMMENT ON TRIGGER ticket_link_no_update ON tuki.ticket_link IS 'Links are history: no UPDATE or DELETE (TK002).';
COMMENT ON TRIGGER ticket_link_no_truncate ON tuki.ticket_link IS 'Links are history: no TRUNCATE (TK002).';

-- Both tickets locked in id order, so two agents linking or merging the same pair the other
-- way round wait for each other instead of deadlocking; the rules common to link and merge.
CREATE FUNCTION tuki.ticket_pair_lock(id bigint, other bigint, what text) RETURNS SETOF tuki.ticket
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t tuki.ticket;
    n bigint;
BEGIN
    IF ticket_pair_lock.id = ticket_pair_lock.other THEN
        PERFORM tuki.fail('TK006', format('ticket #%s cannot be %s itself', ticket_pair_lock.id,
                                          CASE what WHEN 'merge' THEN 'merged into' ELSE 'linked to' END),
            format('A %s takes two different tickets.', what), format('%s ID OTHER_ID', what));
    END IF;
    FOREACH n IN ARRAY ARRAY[least(id, other), greatest(id, other)] LOOP
        t := tuki.ticket_lock(n);
        IF t.status = 'closed' THEN
            PERFORM tuki.fail('TK008', format('ticket #%s is closed', t.id),
                format('A closed ticket takes no %s: closed is final.', CASE what WHEN 'merge' THEN 'merge' ELSE 'link' END),
                'Open a new ticket that refers to it.');
        END IF;
        RETURN NEXT t;
    END LOOP;
    IF EXISTS (SELECT 1 FROM tuki.ticket_link l
                WHERE least(l.ticket, l.related) = least(ticket_pair_lock.id, ticket_pair_lock.other)
                  AND greatest(l.ticket, l.related) = greatest(ticket_pair_lock.id, ticket_pair_lock.other)) THEN
        PERFORM tuki.fail('TK006', format('tickets #%s and #%s are already linked', least(id, other), greatest(id, other)),
            'Two tickets have at most one link.', 'open ID shows a ticket''s links.');
    END IF;
END
$$;
COMMENT ON FUNCTION tuki.ticket_pair_lock(bigint, bigint, text) IS 'Locks two tickets in id order for a link or merge (what) and returns them: TK006 for one ticket twice or a pair already linked, TK008 when either is closed. Not callable by clients.';

CREATE FUNCTION tuki.ticket_link_add(id bigint, other bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a tuki.ticket;
    b tuki.ticket;
BEGIN
    PERFORM tuki.require_staff();
    SELECT * INTO a FROM tuki.ticket_pair_lock(ticket_link_add.id, ticket_link_add.other, 'link') x WHERE x.id = ticket_link_add.id;
    SELECT * INTO b FROM tuki.ticket x WHERE x.id = ticket_link_add.other;
    INSERT INTO tuki.ticket_link (ticket, related, kind) VALUES (a.id, b.id, 'relates');
    INSERT INTO tuki.ticket_event (ticket, kind, detail) VALUES
        (a.id, 'link', jsonb_build_object('ticket', b.id, 'type', b.type, 'subject', b.subject)),
        (b.id, 'link', jsonb_build_object('ticket', a.id, 'type', a.type, 'subject', a.subject));
    PERFORM tuki.notify('ticket', ARRAY[a.id, b.id]);
END
$$;
COMMENT ON FUNCTION tuki.ticket_link_add(bigint, bigint) IS 'Relates two tickets (an incident to its problem or to a bug; customers may differ: one bug serves many reports); a link event in both histories. TK006 for one ticket twice, an unknown ticket or a pair already linked; TK008 when either is closed; TK005 for a caller who is not staff.';

-- A merge closes the duplicate through the lifecycle (resolved with a note naming the other
-- ticket, then closed), so the transitions and the customer's mail are what they are for any
-- resolution.
CREATE FUNCTION tuki.ticket_merge(id bigint, into_id bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    dup tuki.ticket;
    keep tuki.ticket;
    messages integer;
    minutes integer;
BEGIN
    PERFORM tuki.require_staff();
    SELECT * INTO dup FROM tuki.ticket_pair_lock(ticket_merge.id, ticket_merge.into_id, 'merge') x WHERE x.id = ticket_merge.id;
    SELECT * INTO keep FROM tuki.ticket x WHERE x.id = ticket_merge.into_id;
    IF dup.customer <> keep.customer THEN
        PERFORM tuki.fail('TK006', format('ticket #%s is %s''s and #%s is %s''s', dup.id, dup.customer, keep.id, keep.customer),
            'Only tickets of the same customer are merged: each customer sees its own history only.',
            'link ID OTHER_ID relates tickets of different customers.');
    END IF;
    SELECT count(*) INTO messages FROM tuki.message m WHERE m.ticket = dup.id;
    SELECT coalesce(sum(w.minutes), 0) INTO minutes FROM tuki.worklog w WHERE w.ticket = dup.id;
    INSERT INTO tuki.ticket_link (ticket, related, kind) VALUES (dup.id, keep.id, 'merged_into');
    INSERT INTO tuki.ticket_event (ticket, kind, detail) VALUES
        (dup.id, 'merged', jsonb_build_object('into', keep.id, 'subject', keep.subject)),
        (keep.id, 'merge', jsonb_build_object('from', dup.id, 'subject', dup.subject, 'messages', messages,
                                             'worklog_minutes', minutes));
    -- the resolution the customer reads, in their language (tuki.mail_template kind merged)
    UPDATE tuki.ticket SET status = 'resolved',
           resolution = (SELECT r.text FROM tuki.mail_render('merged', dup.id, format('#%s (%s)', keep.id, keep.subject)) r)
     WHERE tuki.ticket.id = dup.id;
    UPDATE tuki.ticket SET status = 'closed' WHERE tuki.ticket.id = dup.id;
END
$$;
COMMENT ON FUNCTION tuki.ticket_merge(bigint, bigint) IS 'Merges a duplicate into another ticket of the same customer: a merged_into link, a merged event on the duplicate and a merge event on the other (with how many messages and work-log minutes the duplicate holds; they stay where they were written and are referenced, history being append-only), then the duplicate is resolved with a note naming the other ticket (tuki.mail_template merged, the customer''s language) and closed. TK006 for one ticket twice, an unknown ticket, a pair already linked or different customers; TK008 when either is closed; TK005 for a caller who is not staff.';

-- Both directions of a ticket's links, for the console's header: staff see them all, a
-- customer's contact none (the other ticket may be another customer's).
CREATE FUNCTION tuki.ticket_links_of(id bigint)
    RETURNS TABLE (kind text, other bigint, other_type text, other_status text, other_subject text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN l.kind = 'relates' THEN 'relates'
                WHEN l.ticket = ticket_links_of.id THEN 'merged_into' ELSE 'merged_from' END,
           o.id, o.type, o.status, o.subject
      FROM tuki.ticket_link l
      JOIN tuki.ticket o ON o.id = CASE WHEN l.ticket = ticket_links_of.id THEN l.related ELSE l.ticket END
     WHERE (l.ticket = ticket_links_of.id OR l.related = ticket_links_of.id)
       AND NOT tuki.role_is_customer(session_user)
     ORDER BY l.at, o.id
$$;
COMMENT ON FUNCTION tuki.ticket_links_of(bigint) IS 'A ticket''s links as the console shows them: kind relates, merged_into (this ticket was merged into other) or merged_from (other was merged into this one), and the other ticket''s type, status and subject. Not granted to customers'' contacts.';

REVOKE EXECUTE ON FUNCTION tuki.ticket_link_frozen(), tuki.ticket_pair_lock(bigint, bigint, text),
    tuki.ticket_link_add(bigint, bigint), tuki.ticket_merge(bigint, bigint), tuki.ticket_links_of(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tuki.ticket_link_add(bigint, bigint), tuki.ticket_merge(bigint, bigint) TO tuki_agent;
GRANT EXECUTE ON FUNCTION tuki.ticket_links_of(bigint) TO tuki_agent, tuki_readonly;

RESET ROLE;
