-- The customer's side of the API (the portal): a contact logged in with its own role files,
-- answers, reopens, closes, attaches and approves through functions that decide for themselves
-- what a contact may do, and reads its tickets, their public timeline and this month's quota.
-- tuki.ticket_create, tuki.ticket_reply (tuki.message_add) and tuki.worklog_approve are the
-- same functions agents use: they ask tuki.contact_self() who is calling.
SET LOCAL ROLE tuki_owner;

INSERT INTO tuki.setting (key, value, description) VALUES
    ('reopen_days', '14', 'A contact may reopen a resolved ticket for this many days after it was resolved (tuki.ticket_reopen).');
ALTER TABLE tuki.setting ADD CHECK (key <> 'reopen_days' OR value ~ '^[0-9]{1,4}$');

CREATE FUNCTION tuki.contact_self() RETURNS tuki.contact
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    -- session_user (tuki.actor()), not current_user: inside SECURITY DEFINER that is the owner
    SELECT c.* FROM tuki.contact c
     WHERE c.login = tuki.actor() AND c.active AND tuki.role_is_customer(c.login)
$$;
COMMENT ON FUNCTION tuki.contact_self() IS 'The active contact whose login (tuki.contact.login) is the acting role (tuki.actor()) and a member of tuki_customer, or an all-null row: how the API tells a contact from staff. The functions that take a contact''s word (ticket_create, ticket_reply, ticket_reopen, ticket_close, ticket_attach, worklog_approve) force customer, author and channel portal from it.';

CREATE FUNCTION tuki.reopen_days() RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$ SELECT coalesce((SELECT s.value::integer FROM tuki.setting s WHERE s.key = 'reopen_days'), 14) $$;
COMMENT ON FUNCTION tuki.reopen_days() IS 'The reopen window in days (setting reopen_days, default 14).';

-- The ticket a contact names, locked; TK006 as for a missing one when it is another
-- customer's, so a contact learns nothing about numbers that are not its own.
CREATE FUNCTION tuki.contact_ticket_lock(id bigint) RETURNS tuki.ticket
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    me tuki.contact := tuki.contact_self();
    t tuki.ticket;
BEGIN
    IF me.id IS NULL THEN
        PERFORM tuki.fail('TK005', format('%s is not a customer contact', tuki.actor()),
            'Only a named contact logged in with its own role (tuki.contact.login) acts for a customer here.',
            'Agents use tuki.ticket_set_status and friends.');
    END IF;
    SELECT * INTO t FROM tuki.ticket WHERE id = contact_ticket_lock.id AND customer = me.customer FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM tuki.fail('TK006', format('no ticket #%s', contact_ticket_lock.id),
            'There is no ticket of yours with that number.', 'Your tickets: SELECT * FROM tuki.portal_tickets();');
    END IF;
    RETURN t;
END
$$;
COMMENT ON FUNCTION tuki.contact_ticket_lock(bigint) IS 'Locks a ticket of the calling contact''s own customer FOR UPDATE and returns it; TK005 when the caller is no contact, TK006 (as for a missing ticket) when it is another customer''s.';

CREATE FUNCTION tuki.ticket_reopen(id bigint, body text DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    t tuki.ticket := tuki.contact_ticket_lock(ticket_reopen.id);
    until timestamptz;
BEGIN
    PERFORM tuki.check_size('reply', ticket_reopen.body, 'message_body');
    IF t.status <> 'resolved' THEN
        PERFORM tuki.fail('TK001', format('ticket #%s is %s, not resolved', t.id, t.status),
            'Only a resolved ticket can be reopened; a closed one is final.',
            'Reply to an open ticket, or file a new request.');
    END IF;
    until := t.resolved_at + make_interval(days => tuki.reopen_days());
    IF tuki.now() >= until THEN
        PERFORM tuki.fail('TK001', format('ticket #%s can no longer be reopened', t.id),
            format('It was resolved on %s; the reopen window of %s days ended on %s.',
                   to_char(t.resolved_at, 'YYYY-MM-DD'), tuki.reopen_days(), to_char(until, 'YYYY-MM-DD')),
            'File a new request that refers to it.');
    END IF;
    UPDATE tuki.ticket SET status = 'open' WHERE id = t.id;
    IF NOT coalesce(tuki.is_blank(ticket_reopen.body), true) THEN
        PERFORM tuki.message_add(t.id, 'public', ticket_reopen.body);
    END IF;
END
$$;
COMMENT ON FUNCTION tuki.ticket_reopen(bigint, text) IS 'A contact reopens its own customer''s resolved ticket (resolved -> open, the resolution clock resumes) within tuki.reopen_days() days of its resolution, with an optional public message. TK005 for callers that are no contact, TK006 for another customer''s ticket, TK001 when it is not resolved or the window has passed.';

CREATE FUNCTION tuki.ticket_close(id bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    t tuki.ticket := tuki.contact_ticket_lock(ticket_close.id);
BEGIN
    IF t.status <> 'resolved' THEN
        PERFORM tuki.fail('TK001', format('ticket #%s is %s, not resolved', t.id, t.status),
            'A contact closes a ticket once the desk has resolved it.', 'Reply to it instead.');
    END IF;
    UPDATE tuki.ticket SET status = 'closed' WHERE id = t.id;
END
$$;
COMMENT ON FUNCTION tuki.ticket_close(bigint) IS 'A contact confirms its own customer''s resolved ticket as done (resolved -> closed, final). TK005 for callers that are no contact, TK006 for another customer''s ticket, TK001 when it is not resolved.';

CREATE FUNCTION tuki.ticket_attach(id bigint, filename text, content bytea,
                                   content_type text DEFAULT 'application/octet-stream', body text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    me tuki.contact := tuki.contact_self();
    msg bigint;
    name text := btrim(ticket_attach.filename);
BEGIN
    IF me.id IS NOT NULL THEN
        PERFORM tuki.contact_ticket_lock(ticket_attach.id);
    END IF;
    PERFORM tuki.check_text('file name', name, 'subject');
    IF name ~ '[/\x01-\x1f\x7f]' THEN
        PERFORM tuki.fail('TK006', format('invalid file name %s', quote_literal(name)),
            'A file name has no directory part and no control characters.', 'Give the name only, e.g. log.txt.');
    END IF;
    IF ticket_attach.content IS NULL OR octet_length(ticket_attach.content) > tuki.limit_of('attachment') THEN
        PERFORM tuki.fail('TK009', format('attachment %s is %s', name,
                                          CASE WHEN ticket_attach.content IS NULL THEN 'missing'
                                               ELSE format('too large: %s bytes, at most %s', octet_length(ticket_attach.content),
                                                           tuki.limit_of('attachment')) END),
            'The limit attachment of tuki.limits() applies to one file.', 'Compress or split the file.');
    END IF;
    PERFORM tuki.check_text('content type', ticket_attach.content_type, 'subject');
    PERFORM tuki.message_add(ticket_attach.id, 'public',
                             coalesce(CASE WHEN NOT tuki.is_blank(ticket_attach.body) THEN ticket_attach.body END,
                                      format('[%s]', name)));
    SELECT max(m.id) INTO msg FROM tuki.message m WHERE m.ticket = ticket_attach.id AND m.author = tuki.actor();
    INSERT INTO tuki.attachment (message, filename, content_type, size, sha256, content)
    VALUES (msg, name, lower(btrim(ticket_attach.content_type)), octet_length(ticket_attach.content),
            sha256(ticket_attach.content), ticket_attach.content);
    RETURN msg;
END
$$;
COMMENT ON FUNCTION tuki.ticket_attach(bigint, text, bytea, text, text) IS 'Attaches a file to a ticket as a public message (its text body, or [filename]) carrying it; returns the message id. A contact: its own customer''s tickets only (TK006), written as the contact on channel portal; agents: as their reply. TK006 for a blank or path-like file name, TK009 over the attachment limit of tuki.limits(), TK008 on closed tickets.';

CREATE FUNCTION tuki.portal_tickets(recent_days integer DEFAULT 30)
    RETURNS TABLE (id bigint, subject text, type text, priority integer, status text, handler text,
                   created_at timestamptz, sla text, due timestamptz, is_open boolean)
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT t.id, t.subject, t.type, t.priority, t.status, a.display_name, t.created_at,
           s.sla, s.due, t.status NOT IN ('resolved', 'closed')
      FROM tuki.ticket t
      LEFT JOIN tuki.agent a ON a.login = t.assignee
     CROSS JOIN LATERAL (
           SELECT CASE WHEN t.status = 'closed' THEN 'closed'
                       WHEN t.status = 'resolved' AND tuki.now() < t.resolved_at + make_interval(days => tuki.reopen_days()) THEN 'reopen_until'
                       WHEN t.status = 'resolved' THEN 'resolved'
                       WHEN t.status = 'waiting_customer' THEN 'waiting_for_you'
                       WHEN t.responded_at IS NULL AND t.response_due IS NOT NULL THEN 'answer_due'
                       WHEN t.resolve_due IS NOT NULL THEN 'resolve_due'
                       ELSE 'in_progress' END AS sla,
                  CASE WHEN t.status = 'resolved' THEN t.resolved_at + make_interval(days => tuki.reopen_days())
                       WHEN t.status IN ('closed', 'waiting_customer') THEN NULL
                       WHEN t.responded_at IS NULL THEN t.response_due
                       ELSE t.resolve_due END AS due) s
     WHERE t.status NOT IN ('resolved', 'closed')
        OR coalesce(t.closed_at, t.resolved_at) >= tuki.now() - make_interval(days => portal_tickets.recent_days)
     ORDER BY t.status IN ('resolved', 'closed'), coalesce(t.resolved_at, t.created_at) DESC, t.id DESC
$$;
COMMENT ON FUNCTION tuki.portal_tickets(integer) IS 'The customer console''s list: the tickets row-level security lets the caller see (a contact: its organisation''s), open ones first (newest first), then those resolved or closed in the last recent_days days. handler is the assigned agent''s display name; sla says what the customer waits for: answer_due (due = the response deadline), resolve_due (due = the resolution deadline), in_progress, waiting_for_you (the desk waits for the customer), reopen_until (resolved; due = end of the reopen window), resolved (window over), closed.';

-- SECURITY DEFINER because contacts may not read tuki.ticket_event or tuki.attachment: it picks
-- what a customer may see itself, for the caller's own customer only.
CREATE FUNCTION tuki.portal_timeline(ticket bigint)
    RETURNS TABLE (at timestamptz, kind text, author text, from_customer boolean, body text, attachments jsonb)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    me tuki.contact := tuki.contact_self();
BEGIN
    IF me.id IS NULL THEN
        PERFORM tuki.require_staff();
    END IF;
    IF NOT EXISTS (SELECT 1 FROM tuki.ticket t WHERE t.id = portal_timeline.ticket
                                                 AND (me.id IS NULL OR t.customer = me.customer)) THEN
        PERFORM tuki.fail('TK006', format('no ticket #%s', portal_timeline.ticket),
            'There is no ticket of yours with that number.', 'Your tickets: SELECT * FROM tuki.portal_tickets();');
    END IF;
    RETURN QUERY
    SELECT x.at, x.kind, x.author, x.from_customer, x.body, x.attachments FROM (
        SELECT m.at, 'message'::text AS kind,
               CASE m.author_kind WHEN 'contact' THEN coalesce(c.name, m.author)
                                  WHEN 'agent' THEN coalesce(a.display_name, m.author) ELSE 'tuki' END AS author,
               m.from_customer, m.body,
               (SELECT jsonb_agg(jsonb_build_object('id', f.id, 'filename', f.filename, 'size', f.size) ORDER BY f.id)
                  FROM tuki.attachment f WHERE f.message = m.id) AS attachments,
               m.id AS ord
          FROM tuki.message m
          LEFT JOIN tuki.contact c ON c.id = m.contact
          LEFT JOIN tuki.agent a ON a.login = m.author
         WHERE m.ticket = portal_timeline.ticket AND m.visibility = 'public'
        UNION ALL
        -- the events a customer is told of, with only the customer-facing part of their detail
        SELECT e.at, e.kind, NULL, NULL,
               -- a resolution is the desk's answer to the customer: it follows the status
               CASE e.kind WHEN 'status' THEN concat(e.detail ->> 'to', E'\n' || (e.detail ->> 'resolution'))
                           WHEN 'priority' THEN 'P' || (e.detail ->> 'to')
                           WHEN 'worklog_approved' THEN format('%s min, %s', e.detail ->> 'minutes',
                                 (SELECT c.name FROM tuki.contact c WHERE c.id = (e.detail ->> 'contact')::bigint))
                           ELSE NULL END,
               NULL, e.id
          FROM tuki.ticket_event e
         WHERE e.ticket = portal_timeline.ticket AND e.kind IN ('created', 'status', 'priority', 'worklog_approved')) x
     ORDER BY x.at, x.kind <> 'created', x.ord;
END
$$;
COMMENT ON FUNCTION tuki.portal_timeline(bigint) IS 'A ticket as its customer sees it, oldest first: public messages (author: the contact''s or agent''s name, tuki for the desk; their attachments as [{id, filename, size}]) and the events created, status (body: the new status, and on a line of its own after it the resolution when resolved), priority (P1..P5) and worklog_approved (minutes and who approved). Never internal notes, work logs or any other event. A contact: its own customer''s tickets only (TK006 otherwise, as for a missing one); staff: any.';

CREATE FUNCTION tuki.portal_attachment(id bigint)
    RETURNS TABLE (filename text, content_type text, content bytea)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    me tuki.contact := tuki.contact_self();
BEGIN
    IF me.id IS NULL THEN
        PERFORM tuki.require_staff();
    END IF;
    RETURN QUERY
    SELECT a.filename, a.content_type, a.content
      FROM tuki.attachment a
      JOIN tuki.message m ON m.id = a.message
      JOIN tuki.ticket t ON t.id = m.ticket
     WHERE a.id = portal_attachment.id AND m.visibility = 'public' AND (me.id IS NULL OR t.customer = me.customer);
    IF NOT FOUND THEN
        PERFORM tuki.fail('TK006', format('no attachment #%s', portal_attachment.id),
            'There is no file with that number on a public message of yours.',
            'The conversation (tuki.portal_timeline) lists each file with its number.');
    END IF;
END
$$;
COMMENT ON FUNCTION tuki.portal_attachment(bigint) IS 'A file of a public message, as the customer console saves it: name, type and bytes (content null when it was over the size cap when mailed). A contact: its own customer''s tickets only; TK006 otherwise, as for a missing one. Staff: any public message''s files.';

CREATE FUNCTION tuki.portal_quota(month date DEFAULT NULL)
    RETURNS TABLE (customer text, month date, quota_minutes integer, used_minutes integer, left_minutes integer,
                   billable_minutes integer)
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT r.customer, r.month, r.quota_minutes::integer, r.quota_used_minutes::integer,
           greatest(r.quota_minutes - r.quota_used_minutes, 0)::integer, r.billable_minutes::integer
      FROM tuki.monthly_report r
     WHERE r.month = coalesce(portal_quota.month, date_trunc('month', tuki.now())::date)
$$;
COMMENT ON FUNCTION tuki.portal_quota(date) IS 'This month''s (or month''s) maintenance quota of each customer the caller may see (a contact: its own), from tuki.monthly_report: quota, used, left and billable minutes.';

GRANT EXECUTE ON FUNCTION tuki.contact_self(), tuki.reopen_days(), tuki.portal_tickets(integer),
    tuki.portal_timeline(bigint), tuki.portal_quota(date)
    TO tuki_agent, tuki_readonly, tuki_customer;
GRANT EXECUTE ON FUNCTION tuki.ticket_reopen(bigint, text), tuki.ticket_close(bigint) TO tuki_customer;
GRANT EXECUTE ON FUNCTION tuki.portal_attachment(bigint) TO tuki_agent, tuki_customer;
GRANT EXECUTE ON FUNCTION tuki.ticket_attach(bigint, text, bytea, text, text) TO tuki_agent, tuki_customer;
-- the same API agents use: the functions themselves tell a contact from staff (tuki.contact_self)
GRANT EXECUTE ON FUNCTION tuki.ticket_create(text, text, text, text, integer, integer, text, text),
    tuki.ticket_reply(bigint, text), tuki.worklog_approve(bigint, text)
    TO tuki_customer;

RESET ROLE;
