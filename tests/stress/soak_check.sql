-- The soak's invariants, checked as a superuser against the desk and the clients' call log
-- (public.soak_call, loaded by soak.sh). Prints one line per invariant: name, violations,
-- a sample of them. psql variable codes: the TK codes tuki-schema(7) documents.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

CREATE TEMP TABLE verdict (ord serial, name text, bad bigint, sample text);

-- A contact files and answers through the agents' own ticket_create and ticket_reply (issue
-- 15), as its own words: its calls are kinds of their own here.
UPDATE soak_call SET op = 'customer_' || op WHERE role = 'contact' AND op IN ('create', 'reply');

-- What each successful call may leave in the history, in its own transaction (kinds); main is
-- the kind it records exactly once, or at most once where the API documents that the call may
-- change nothing (taking your own ticket, assigning to the holder, releasing an unassigned
-- ticket, the same impact and urgency, confirming a bug again with the same version).
-- Calls on two tickets (link, merge: the other one is the call's arg) also write on the other
-- ticket: other_main exactly once when main is written, and only other_kinds there.
CREATE TEMP TABLE op_kinds (op text PRIMARY KEY, main text, may_be_noop boolean, kinds text[],
                            other_main text, other_kinds text[] NOT NULL DEFAULT '{}');
INSERT INTO op_kinds (op, main, may_be_noop, kinds) VALUES
    ('create', 'created', false, '{created,customer_message,sla_recalc}'),
    ('take', 'assign', true, '{assign,status,sla_recalc}'),
    ('take_next', 'assign', false, '{assign,status,sla_recalc}'),
    ('assign', 'assign', true, '{assign}'),
    ('release', 'assign', true, '{assign}'),
    ('status', 'status', false, '{status,note,responded,sla_recalc,sla_warning,sla_breach}'),
    ('reply', 'reply', false, '{reply,responded,sla_recalc,sla_warning,sla_breach}'),
    ('note', 'note', false, '{note}'),
    ('priority', 'priority', true, '{priority,sla_recalc}'),
    ('escalate', 'escalate', false, '{escalate,assign}'),
    ('worklog', 'worklog', false, '{worklog}'),
    ('sweep', NULL, true, '{sla_warning,sla_breach}'),
    ('expect_version', NULL, true, '{}'),
    ('confirm_bug', 'edit', true, '{edit,reply,responded,sla_recalc,sla_warning,sla_breach}'),
    -- no edit event when nothing changed or only the team did (an escalate event then)
    ('edit', 'edit', true, '{edit,escalate,assign}'),
    ('customer_create', 'created', false, '{created,customer_message,sla_recalc}'),
    -- an answer the desk waited for reopens the ticket (waiting_customer -> open)
    ('customer_reply', 'customer_message', false, '{customer_message,status,sla_recalc,sla_warning,sla_breach}');
INSERT INTO op_kinds (op, main, may_be_noop, kinds, other_main, other_kinds) VALUES
    -- a link event in both histories
    ('link', 'link', false, '{link}', 'link', '{link}'),
    -- the duplicate: merged, then resolved (stopping its clocks) and closed; the other: merge
    ('merge', 'merged', false, '{merged,status,responded,sla_recalc,sla_warning,sla_breach}', 'merge', '{merge}');

CREATE TEMP VIEW soak_login AS SELECT DISTINCT login, role FROM soak_call;
CREATE TEMP VIEW soak_event AS
    SELECT e.* FROM tuki.ticket_event e WHERE e.actor IN (SELECT login FROM soak_login);
-- every successful write call with the events of its transaction (same actor, same now())
CREATE TEMP TABLE call_event AS
    SELECT c.call, c.client, c.login, c.op, c.ticket, c.arg, c.at, e.id AS event, e.ticket AS event_ticket,
           e.kind, e.detail
      FROM soak_call c JOIN soak_event e ON e.actor = c.login AND e.at = c.at
     WHERE c.state = '00000' AND c.op NOT LIKE 'read\_%';
ANALYZE call_event;

-- 1. Errors: only documented TK codes; missing privileges (42501) only for roles that have no
--    write API; serialization failures and deadlocks were retried (tries), never left failing.
INSERT INTO verdict (name, bad, sample)
SELECT 'errors are documented TK codes (or 42501 for readers)', count(*),
       string_agg(DISTINCT format('%s %s by %s', state, op, role), '; ')
  FROM soak_call
 WHERE state <> '00000'
   AND NOT (state = ANY (string_to_array(:'codes', ',')))
   AND NOT (state = '42501' AND role IN ('readonly', 'contact'));

-- 2. The read-only role changes nothing, and contacts nothing but through their own calls
--    (filing and answering): no other write call of theirs succeeds, and no other event names
--    them.
INSERT INTO verdict (name, bad, sample)
SELECT 'readers wrote nothing; contacts only filed and answered', (SELECT count(*) FROM soak_call
                                  WHERE role IN ('readonly', 'contact') AND state = '00000' AND op NOT LIKE 'read\_%'
                                    AND op NOT LIKE 'customer\_%')
                                + (SELECT count(*) FROM soak_event
                                    WHERE actor IN (SELECT login FROM soak_login WHERE role = 'readonly'))
                                + (SELECT count(*) FROM soak_event
                                    WHERE actor IN (SELECT login FROM soak_login WHERE role = 'contact')
                                      AND kind <> ALL ('{created,customer_message,status,sla_recalc,sla_warning,sla_breach}')),
       (SELECT string_agg(DISTINCT op || ' by ' || login, '; ') FROM soak_call
         WHERE role IN ('readonly', 'contact') AND state = '00000' AND op NOT LIKE 'read\_%' AND op NOT LIKE 'customer\_%');

-- 3. Contacts saw only their own customer's tickets, and of the messages only public ones.
CREATE TEMP TABLE contact_seen AS
    SELECT c.login, k.customer AS own, c.op, s.id::bigint AS id
      FROM soak_call c JOIN tuki.contact k ON k.login = c.login
     CROSS JOIN LATERAL unnest(string_to_array(c.seen, ' ')) s(id)
     WHERE c.role = 'contact' AND c.state = '00000';
INSERT INTO verdict (name, bad, sample)
SELECT 'contacts saw only their own customer''s tickets and public messages', count(*),
       string_agg(DISTINCT format('%s saw %s %s of %s', s.login, s.op, s.id, t.customer), '; ')
  FROM contact_seen s
  LEFT JOIN tuki.message m ON s.op = 'read_messages' AND m.id = s.id
  JOIN tuki.ticket t ON t.id = CASE WHEN s.op = 'read_messages' THEN m.ticket ELSE s.id END
 WHERE t.customer <> s.own OR (s.op = 'read_messages' AND m.visibility <> 'public');
INSERT INTO verdict (name, bad, sample)
SELECT 'contacts'' reads returned something (else check 3 proves nothing)',
       CASE WHEN count(*) FILTER (WHERE op = 'read_tickets') > 0 AND count(*) FILTER (WHERE op = 'read_messages') > 0
            THEN 0 ELSE 1 END,
       format('%s tickets, %s messages seen', count(*) FILTER (WHERE op = 'read_tickets'),
              count(*) FILTER (WHERE op = 'read_messages'))
  FROM contact_seen;

-- 4. The history's own invariants (legal status paths, alerts once, actors, SLA columns that
--    agree with the history and with a recomputation): tests/stress/history_check.sql.
\ir history_check.sql

-- 4b. A ticket leaves its holder only by the holder's own hand or a lead's (tuki-schema(7):
--     reassigning or releasing someone else's ticket is TK005 for agents).
INSERT INTO verdict (name, bad, sample)
SELECT 'only the holder or a lead takes a ticket away from its holder', count(*),
       string_agg(format('#%s %s->%s by %s (%s)', e.ticket, e.detail->>'from', coalesce(e.detail->>'to', 'nobody'), e.actor,
                         c.op), '; ' ORDER BY e.id)
  FROM soak_event e LEFT JOIN soak_call c ON c.login = e.actor AND c.at = e.at AND c.state = '00000'
 WHERE e.kind = 'assign' AND e.detail->>'from' IS NOT NULL AND e.detail->>'from' <> e.actor
   AND NOT EXISTS (SELECT 1 FROM tuki.agent a WHERE a.login = e.actor AND a.is_lead);

INSERT INTO verdict (name, bad, sample)
SELECT 'sweeps and stopped clocks recorded alerts (else the once-only check proves nothing)', CASE WHEN count(*) > 0 THEN 0 ELSE 1 END,
       format('%s warnings, %s breaches; %s by sweeps', count(*) FILTER (WHERE e.kind = 'sla_warning'),
              count(*) FILTER (WHERE e.kind = 'sla_breach'), count(*) FILTER (WHERE c.op = 'sweep'))
  FROM tuki.ticket_event e LEFT JOIN soak_call c ON c.login = e.actor AND c.at = e.at AND c.state = '00000'
 WHERE e.kind IN ('sla_warning', 'sla_breach');

-- 5. Events = successful calls. Every event a soak client's login wrote belongs to one of its
--    successful calls (a failed call left nothing), of a kind that call makes ...
INSERT INTO verdict (name, bad, sample)
SELECT 'no event without a successful call (failed calls left nothing)', count(*),
       string_agg(format('#%s %s by %s at %s', e.ticket, e.kind, e.actor, e.at), '; ')
  FROM soak_event e
 WHERE NOT EXISTS (SELECT 1 FROM soak_call c
                    WHERE c.login = e.actor AND c.at = e.at AND c.state = '00000' AND c.op NOT LIKE 'read\_%');
INSERT INTO verdict (name, bad, sample)
SELECT 'each call wrote only its kinds of event, on its ticket (link, merge: and the other)', count(*),
       string_agg(DISTINCT format('%s wrote %s on %s', ce.op, ce.kind,
                                  CASE WHEN ce.event_ticket = ce.ticket THEN 'its ticket'
                                       WHEN ce.event_ticket::text = ce.arg THEN 'the other ticket'
                                       ELSE 'ticket #' || ce.event_ticket END), '; ')
  FROM call_event ce LEFT JOIN op_kinds k ON k.op = ce.op  -- an op missing there may write nothing
 WHERE NOT coalesce((ce.kind = ANY (k.kinds) AND (ce.op = 'sweep' OR ce.event_ticket = ce.ticket))
                    OR (ce.kind = ANY (k.other_kinds) AND ce.event_ticket::text = ce.arg), false);
-- ... and every successful call wrote its main event once on its ticket, saying what was
-- asked (calls the API documents as possibly changing nothing: at most once), and a link or
-- merge its other_main on the other ticket as often, naming the call's ticket.
CREATE TEMP TABLE call_main AS
    SELECT c.call, c.client, c.op, c.ticket, c.arg, c.login, k.main, k.may_be_noop, k.other_main,
           count(ce.event) FILTER (WHERE ce.kind = k.main AND ce.event_ticket = c.ticket AND CASE c.op
                   WHEN 'status' THEN ce.detail->>'to' = c.arg
                   WHEN 'take' THEN ce.detail->>'to' = c.login
                   WHEN 'take_next' THEN ce.detail->>'to' = c.login
                   WHEN 'assign' THEN ce.detail->>'to' = c.arg
                   WHEN 'release' THEN ce.detail->>'to' IS NULL
                   WHEN 'escalate' THEN ce.detail->>'to' = c.arg
                   WHEN 'priority' THEN format('%s,%s', ce.detail->>'impact', ce.detail->>'urgency') = c.arg
                   WHEN 'worklog' THEN format('%s,%s', ce.detail->>'minutes',
                                              CASE WHEN (ce.detail->>'billable')::boolean THEN 'billable' ELSE 'included' END) = c.arg
                   WHEN 'link' THEN ce.detail->>'ticket' = c.arg
                   WHEN 'merge' THEN ce.detail->>'into' = c.arg
                   ELSE true END) AS written,
           count(ce.event) FILTER (WHERE ce.kind = k.other_main AND ce.event_ticket::text = c.arg AND CASE c.op
                   WHEN 'link' THEN ce.detail->>'ticket' = c.ticket::text
                   WHEN 'merge' THEN ce.detail->>'from' = c.ticket::text
                   ELSE false END) AS written_other
      FROM soak_call c JOIN op_kinds k ON k.op = c.op
      LEFT JOIN call_event ce ON ce.call = c.call AND ce.kind IN (k.main, k.other_main)
     WHERE c.state = '00000' AND k.main IS NOT NULL AND NOT (c.op = 'take_next' AND c.ticket IS NULL)
     GROUP BY c.call, k.op;
INSERT INTO verdict (name, bad, sample)
SELECT 'every successful call wrote its event once, as asked', count(*),
       string_agg(DISTINCT format('%s wrote %s %s events', op, written, main)
                           || CASE WHEN other_main IS NOT NULL THEN format(' and %s %s on the other ticket', written_other, other_main)
                                   ELSE '' END, '; ')
  FROM call_main
 WHERE written > 1 OR (written = 0 AND NOT may_be_noop)
    OR written_other <> CASE WHEN other_main IS NULL THEN 0 ELSE written END;
-- the two sides counted per call, for the report: successful calls, the events they wrote of
-- their kind, calls the API documents may change nothing that did not, refused calls
INSERT INTO verdict (name, bad, sample)
SELECT 'events = successful calls, per call (ok/event/no-op/refused)',
       count(*) FILTER (WHERE ok <> written + noop),
       string_agg(format('%s %s/%s/%s/%s', op, ok, written, noop, refused), ', ' ORDER BY op)
  FROM (SELECT c.op, count(*) FILTER (WHERE c.state = '00000') AS ok,
               count(*) FILTER (WHERE c.state <> '00000') AS refused,
               (SELECT count(*) FROM call_main m WHERE m.op = c.op AND m.written = 1) AS written,
               (SELECT count(*) FROM call_main m WHERE m.op = c.op AND m.written = 0)
               + count(*) FILTER (WHERE c.state = '00000' AND (k.main IS NULL OR (c.op = 'take_next' AND c.ticket IS NULL))) AS noop
          FROM soak_call c JOIN op_kinds k ON k.op = c.op
         WHERE c.role IN ('agent', 'lead')
         GROUP BY c.op, k.main) x;

SELECT format('%-90s %s%s', name, CASE WHEN bad = 0 THEN 'ok' ELSE bad || ' VIOLATION(S)' END,
              CASE WHEN sample IS NOT NULL AND sample <> '' THEN ': ' || left(sample, 1000) ELSE '' END)
  FROM verdict ORDER BY ord;
SELECT format('invariants: %s checked, %s violated', count(*), count(*) FILTER (WHERE bad <> 0)) FROM verdict;
