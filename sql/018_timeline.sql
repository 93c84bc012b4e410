-- 018: a ticket's timeline as a person reads it. One set-returning function gathers the
-- messages (with what became of their mail and the files that came with them), the work logged
-- and the history events of one ticket, in one stable order, with people's names instead of
-- logins and ids, and every time written in the session's time zone (the console sets it to the
-- agent's). The sentences themselves are the client's (src/timeline.c), so they can be
-- translated; this function hands it the facts. SECURITY INVOKER: row-level security decides
-- what each caller sees, as it decides what it reads.
SET LOCAL ROLE tuki_owner;

-- A person as the timeline names them: an agent by display name, a contact who logs in by
-- name, the desk itself as tuki, anyone else (an administrator replaying history) by login.
CREATE FUNCTION tuki.timeline_name(login text) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN login = 'system' THEN 'tuki'
                ELSE coalesce((SELECT a.display_name FROM tuki.agent a WHERE a.login = timeline_name.login),
                              (SELECT c.name FROM tuki.contact c WHERE c.login = timeline_name.login),
                              login) END
$$;
COMMENT ON FUNCTION tuki.timeline_name(text) IS 'How the timeline names an actor: an agent''s display name, a contact''s name (by the contact''s login), tuki for the desk itself (system), else the login.';

-- A time inside a sentence: the clock alone on the day of the entry that mentions it, else the
-- date too; in the session's time zone, like the entry's own time.
CREATE FUNCTION tuki.timeline_time(ts timestamptz, day timestamptz) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT to_char(ts, CASE WHEN ts::date = day::date THEN 'HH24:MI' ELSE 'YYYY-MM-DD HH24:MI' END)
$$;
COMMENT ON FUNCTION tuki.timeline_time(timestamptz, timestamptz) IS 'A time as a timeline sentence writes it, in the session''s time zone: HH:MM on the same local day as day, else YYYY-MM-DD HH:MM; null for null.';

-- The order is (at, rank, ref, sub): what one statement did at one instant reads in the order
-- it happened (the ticket, its first message; the team it went to, who holds it, its status;
-- its clocks; the mail that went out), and an entry never changes place between two loads.
CREATE FUNCTION tuki.ticket_timeline(ticket bigint)
    RETURNS TABLE (at timestamptz, at_text text, rank integer, ref bigint, sub integer,
                   kind text, who text, args text[], body text)
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
    WITH t AS (
        SELECT t.*, (SELECT k.calendar FROM tuki.contract k WHERE k.id = t.contract) AS calendar
          FROM tuki.ticket t WHERE t.id = ticket_timeline.ticket
    ), entry AS (
        -- messages: whose words, public or internal, how they came, and their mail's fate
        SELECT m.at, 1 AS rank, m.id AS ref, 0 AS sub, 'message' AS kind,
               CASE m.author_kind WHEN 'contact' THEN (SELECT c.name FROM tuki.contact c WHERE c.id = m.contact)
                                  ELSE tuki.timeline_name(m.author) END AS who,
               ARRAY[m.author_kind, m.visibility, m.channel, tuki.timeline_name(m.recorded_by),
                     o.status, o.last_error] AS args,
               m.body
          FROM tuki.message m
          LEFT JOIN LATERAL (SELECT o.status, o.last_error FROM tuki.outbox o
                              WHERE o.message = m.id AND o.kind = 'reply' ORDER BY o.id DESC LIMIT 1) o ON true
         WHERE m.ticket = ticket_timeline.ticket
        UNION ALL
        -- the files that came with a message, under it, numbered as 'save' numbers them
        SELECT m.at, 1, m.id, x.n::integer, 'attachment', NULL,
               ARRAY[x.n::text, regexp_replace(x.filename, '[[:cntrl:]]', '?', 'g'), x.content_type,
                     pg_size_pretty(x.size), x.note],
               NULL
          FROM (SELECT a.*, row_number() OVER (ORDER BY a.id) AS n
                  FROM tuki.attachment a JOIN tuki.message m ON m.id = a.message
                 WHERE m.ticket = ticket_timeline.ticket) x
          JOIN tuki.message m ON m.id = x.message
        UNION ALL
        -- work logged: minutes, billable or included, who ordered it, the note
        SELECT w.at, 2, w.id, 0, 'worklog', tuki.timeline_name(w.agent),
               ARRAY[w.minutes::text, w.billable::text,
                     (SELECT c.name FROM tuki.contact c WHERE c.id = w.approved_by)],
               w.note
          FROM tuki.worklog w WHERE w.ticket = ticket_timeline.ticket
        UNION ALL
        -- the desk's own mail (receipts, status notices), when the change that sent it happened;
        -- a reply's mail is told on the reply's line
        SELECT o.created_at, 8, o.id, 0, 'mail', 'tuki',
               ARRAY[o.kind, coalesce(o.recipient_name, o.recipient), o.status, o.last_error], NULL
          FROM tuki.outbox o WHERE o.ticket = ticket_timeline.ticket AND o.kind <> 'reply'
        UNION ALL
        -- an edit is one entry per field changed
        SELECT e.at, 5, e.id, f.ord::integer, 'edit', tuki.timeline_name(e.actor),
               ARRAY[f.field,
                     CASE f.field WHEN 'contact' THEN (SELECT c.name FROM tuki.contact c WHERE c.id = (f.change->>'from')::bigint)
                                  ELSE f.change->>'from' END,
                     CASE f.field WHEN 'contact' THEN (SELECT c.name FROM tuki.contact c WHERE c.id = (f.change->>'to')::bigint)
                                  ELSE f.change->>'to' END],
               NULL
          FROM tuki.ticket_event e
         CROSS JOIN LATERAL jsonb_each(e.detail) WITH ORDINALITY AS f(field, change, ord)
         WHERE e.ticket = ticket_timeline.ticket AND e.kind = 'edit' AND jsonb_typeof(f.change) = 'object'
        UNION ALL
        -- the other events; the messages and work logged above are not repeated
        SELECT e.at,
               CASE e.kind WHEN 'created' THEN 0 WHEN 'escalate' THEN 3 WHEN 'assign' THEN 4
                           WHEN 'responded' THEN 6 WHEN 'sla_recalc' THEN 7 WHEN 'sla_warning' THEN 7
                           WHEN 'sla_breach' THEN 7 ELSE 5 END,
               e.id, 0, e.kind, tuki.timeline_name(e.actor),
               CASE e.kind
               WHEN 'created' THEN
                   ARRAY[d->>'type', d->>'priority', d->>'impact', d->>'urgency', d->>'service_level',
                         d->>'team', d->>'channel']
               WHEN 'status' THEN ARRAY[d->>'from', d->>'to', d->>'resolution']
               WHEN 'assign' THEN
                   ARRAY[tuki.timeline_name(d->>'from'), tuki.timeline_name(d->>'to'),
                         ((d->>'to') = e.actor AND (d->>'from') IS NULL)::text]
               WHEN 'escalate' THEN ARRAY[d->>'from', d->>'to']
               WHEN 'priority' THEN ARRAY[d->>'from', d->>'to', d->>'impact', d->>'urgency']
               WHEN 'responded' THEN
                   ARRAY[tuki.timeline_time((d->>'at')::timestamptz, e.at),
                         round(tuki.business_minutes(t.calendar, t.created_at, (d->>'at')::timestamptz))::text,
                         t.response_target::text,
                         ((d->>'at')::timestamptz <= t.response_due)::text]
               WHEN 'sla_recalc' THEN
                   ARRAY[d->>'reason',
                         CASE WHEN d #>> '{response,stopped}' IS NULL
                              THEN tuki.timeline_time((d #>> '{response,due}')::timestamptz, e.at) END,
                         tuki.timeline_time((d #>> '{resolve,due}')::timestamptz, e.at),
                         (d #>> '{resolve,paused}')]
               WHEN 'sla_warning' THEN
                   ARRAY[d->>'target', tuki.timeline_time((d->>'due')::timestamptz, e.at), d->>'target_minutes']
               WHEN 'sla_breach' THEN
                   ARRAY[d->>'target', tuki.timeline_time((d->>'due')::timestamptz, e.at), d->>'target_minutes']
               WHEN 'worklog_approved' THEN
                   ARRAY[(SELECT c.name FROM tuki.contact c WHERE c.id = (d->>'contact')::bigint), d->>'minutes']
               ELSE ARRAY[]::text[] END,
               NULL
          FROM tuki.ticket_event e CROSS JOIN LATERAL (SELECT e.detail AS d) dd, t
         WHERE e.ticket = ticket_timeline.ticket
           AND e.kind NOT IN ('reply', 'note', 'customer_message', 'message', 'worklog', 'edit')
    )
    SELECT entry.at, to_char(entry.at, 'YYYY-MM-DD HH24:MI'), entry.rank, entry.ref, entry.sub,
           entry.kind, entry.who, entry.args, entry.body
      FROM entry
     ORDER BY entry.at, entry.rank, entry.ref, entry.sub
$$;
COMMENT ON FUNCTION tuki.ticket_timeline(bigint) IS 'A ticket''s timeline for the console: one row per message (kind message, args author_kind, visibility, channel, recorded_by name, and for a reply its mail''s status and error), attachment (n, file name, type, size, note when not kept), work entry (worklog: minutes, billable, approving contact; body the note), mail of the desk''s own (mail: outbox kind other than reply, recipient, status, error), field edited (edit: field, from, to) and history event (created, status, assign, escalate, priority, responded, sla_recalc, sla_warning, sla_breach, worklog_approved, others with no args), ordered by (at, rank, ref, sub); who is a person''s name (tuki.timeline_name, a contact''s name), every time text in the session''s time zone. Runs as the caller: row-level security decides what is seen.';

REVOKE EXECUTE ON FUNCTION tuki.timeline_name(text), tuki.timeline_time(timestamptz, timestamptz),
    tuki.ticket_timeline(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tuki.timeline_name(text), tuki.timeline_time(timestamptz, timestamptz),
    tuki.ticket_timeline(bigint) TO tuki_agent, tuki_readonly;

RESET ROLE;
