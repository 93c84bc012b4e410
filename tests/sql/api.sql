-- The API: input validation with clear errors, taking and releasing, the queue order and its index,
-- billable work, the optimistic check, agent registration.
BEGIN;
SELECT plan(86);

\ir lib/as_role.psql

CREATE ROLE tt_agent LOGIN;
CREATE ROLE tt_third LOGIN;
CREATE ROLE tt_lead LOGIN;
CREATE ROLE tt_stranger LOGIN IN ROLE tuki_agent;    -- in the group, but never registered
SELECT tuki.agent_add('tt_agent', 'Aino Agentti', 'second_line');
SELECT tuki.agent_add('tt_third', 'Tomáš Tretí', 'third_line');
SELECT tuki.agent_add('tt_lead', 'Lauri Liidi', NULL, true);
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy'), ('KONE', 'Konepaja Mäkinen Oy'),
    ('TATRA', 'Tatra Softvér s.r.o.'), ('OLD', 'Lopettanut Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from, valid_to, raise_level, raise_from, raise_to) VALUES
    ('ACME', 'premium', 'fi-8-16', '2020-01-01', NULL, NULL, NULL, NULL),
    ('KONE', 'light', 'fi-9-17', '2020-01-01', NULL, 'premium', current_date - 1, current_date + 1),
    ('TATRA', 'standard', 'sk-8-17', '2020-01-01', NULL, NULL, NULL, NULL),
    ('OLD', 'standard', 'fi-8-16', '2020-01-01', '2021-12-31', NULL, NULL, NULL);
INSERT INTO tuki.contact (customer, name, email, may_order_billable) VALUES
    ('ACME', 'Päivi Mäkelä', 'paivi@acme.fi', true), ('ACME', 'Ville Virtanen', 'ville@acme.fi', false);

-- validation
SELECT matches(pg_temp.err_as('tt_agent', q), re, what)
  FROM (VALUES
    ('unknown customer', $$SELECT tuki.ticket_create('NOPE', 's', 'b')$$, '^TK006\|unknown customer ''NOPE''\|Known customer values: ACME, KONE, OLD, TATRA\.\|.+'),
    ('unknown type', $$SELECT tuki.ticket_create('ACME', 's', 'b', 'wish')$$, '^TK006\|unknown type ''wish''\|Known type values: bug, change, incident, .*'),
    ('unknown channel', $$SELECT tuki.ticket_create('ACME', 's', 'b', channel => 'fax')$$, '^TK006\|unknown channel ''fax''\|.*email.*'),
    ('impact 0', $$SELECT tuki.ticket_create('ACME', 's', 'b', impact => 0)$$, '^TK006\|impact must be 1, 2 or 3, not 0\|'),
    ('impact 4', $$SELECT tuki.ticket_create('ACME', 's', 'b', impact => 4)$$, '^TK006\|impact must be 1, 2 or 3, not 4\|'),
    ('urgency null', $$SELECT tuki.ticket_create('ACME', 's', 'b', urgency => NULL)$$, '^TK006\|urgency must be 1, 2 or 3, not NULL\|'),
    ('empty subject', $$SELECT tuki.ticket_create('ACME', '', 'b')$$, '^TK006\|subject is empty\|'),
    ('blank subject', $$SELECT tuki.ticket_create('ACME', E' \t ', 'b')$$, '^TK006\|subject is empty\|'),
    ('null subject', $$SELECT tuki.ticket_create('ACME', NULL, 'b')$$, '^TK006\|subject is empty\|'),
    ('unknown contact', $$SELECT tuki.ticket_create('ACME', 's', 'b', contact_email => 'x@y.fi')$$, '^TK006\|no contact x@y.fi at customer ACME\|Active contacts of ACME: paivi@acme.fi, ville@acme.fi\.\|'),
    ('another customer''s contact', $$SELECT tuki.ticket_create('KONE', 's', 'b', contact_email => 'paivi@acme.fi')$$, '^TK006\|no contact'),
    ('expired contract', $$SELECT tuki.ticket_create('OLD', 's', 'b')$$, '^TK006\|customer OLD has no contract in force\|'),
    ('unknown status', $$SELECT tuki.ticket_set_status(1, 'done')$$, '^TK006\|unknown status ''done''\|Known status values: closed, new, open, resolved, waiting_customer, waiting_third_party\.'),
    ('unknown team', $$SELECT tuki.ticket_escalate(1, 'marketing')$$, '^TK006\|unknown team ''marketing''\|Known team values: development, second_line, third_line\.'),
    ('unknown agent', $$SELECT tuki.ticket_assign(1, 'nobody')$$, '^TK006\|unknown agent ''nobody''\|Active agents: tt_agent, tt_lead, tt_third\.'),
    ('unknown ticket', $$SELECT tuki.ticket_take(424242)$$, '^TK006\|no ticket #424242\|'),
    ('priority out of range', $$SELECT tuki.ticket_set_priority(1, 1, 5)$$, '^TK006\|urgency must be 1, 2 or 3, not 5\|'),
    ('empty reply', $$SELECT tuki.ticket_reply(1, '')$$, '^TK006\|reply is empty\|'),
    ('empty note', $$SELECT tuki.ticket_note(1, NULL)$$, '^TK006\|note is empty\|'),
    ('zero minutes', $$SELECT tuki.worklog_add(1, 0)$$, '^TK006\|minutes must be 1..1440, not 0\|'),
    ('a day and a minute', $$SELECT tuki.worklog_add(1, 1441)$$, '^TK006\|minutes must be 1..1440, not 1441\|')
  ) x(what, q, re);
SELECT is((SELECT count(*)::int FROM tuki.ticket), 0, 'none of that created anything');
SELECT is(pg_temp.run_as('tt_stranger', $$SELECT tuki.ticket_create('ACME', 's', 'b')$$), 'TK005', 'a tuki_agent member who is not registered gets TK005');

-- creation picks the contract, level and contact
CREATE TEMP TABLE k AS SELECT pg_temp.val_as('tt_agent', $$SELECT tuki.ticket_create('ACME', 'Tulostin', 'Ei tulosta', 'incident', 1, 1, 'PAIVI@ACME.FI', 'phone')$$)::bigint AS id;
SELECT results_eq(format('SELECT customer, contact, service_level, priority, status, team, channel FROM tuki.ticket WHERE id = %s', (SELECT id FROM k)),
    $$SELECT 'ACME'::text, (SELECT id FROM tuki.contact WHERE email = 'paivi@acme.fi'), 'premium'::text, 1, 'new'::text, 'second_line'::text, 'phone'::text$$,
    'ticket_create: contact matched case-insensitively, premium from the contract, P1 from 1x1');
CREATE TEMP TABLE r AS SELECT tuki.ticket_create('KONE', 'raise', 'b') AS id;
SELECT is((SELECT service_level FROM tuki.ticket WHERE id = (SELECT id FROM r)), 'premium',
    'a temporary level raise gives the raised level');
SELECT is((SELECT from_customer::text || visibility || channel FROM tuki.message WHERE ticket = (SELECT id FROM k)), 'truepublicphone',
    'the request body is the customer''s first public message');
SELECT ok((SELECT responded_at IS NULL FROM tuki.ticket WHERE id = (SELECT id FROM k)), 'the customer''s own message does not count as a response');

-- taking
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_take(%s)', (SELECT id FROM k))), 'ok', 'take');
SELECT matches(pg_temp.err_as('tt_lead', format('SELECT tuki.ticket_take(%s)', (SELECT id FROM k))),
    '^TK003\|ticket #\d+ is already taken by tt_agent\|.+\|.+', 'taking a ticket someone holds is TK003, even for a lead');
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_set_status(%s, ''resolved'', ''ok'')', (SELECT id FROM k))), 'ok', 'resolve');
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_take(%s)', (SELECT id FROM k))), 'TK001', 'a resolved ticket cannot be taken, not even your own');
SELECT is(pg_temp.run_as('tt_lead', format('SELECT tuki.ticket_release(%s)', (SELECT id FROM k))), 'ok', 'a lead releases it');
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_take(%s)', (SELECT id FROM k))), 'TK001', 'a resolved ticket in nobody''s hands cannot be taken: TK001');

-- the optimistic check
CREATE TEMP TABLE v AS SELECT version FROM tuki.ticket WHERE id = (SELECT id FROM k);
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_expect_version(%s, %s)', (SELECT id FROM k), (SELECT version FROM v))), 'ok',
    'the version I saw is current: go ahead');
SELECT tuki.ticket_set_status((SELECT id FROM k), 'open');
SELECT matches(pg_temp.err_as('tt_agent', format('SELECT tuki.ticket_expect_version(%s, %s); SELECT tuki.ticket_set_status(%s, ''waiting_customer'')',
                                                 (SELECT id FROM k), (SELECT version FROM v), (SELECT id FROM k))),
    '^TK003\|ticket #\d+ was changed by someone else\|You saw version \d+; it is now version \d+.*\|Reload', 'someone changed it meanwhile: TK003');
SELECT is((SELECT status FROM tuki.ticket WHERE id = (SELECT id FROM k)), 'open', 'and the stale change was not made');

-- billable work
CREATE TEMP TABLE b AS SELECT tuki.ticket_create('ACME', 'by Ville', 'b', contact_email => 'ville@acme.fi') AS ville,
                              tuki.ticket_create('ACME', 'by Päivi', 'b', contact_email => 'paivi@acme.fi') AS paivi,
                              tuki.ticket_create('ACME', 'anonymous', 'b') AS anon;
SELECT matches(pg_temp.err_as('tt_agent', format('SELECT tuki.worklog_add(%s, 60, true)', (SELECT ville FROM b))),
    '^TK004\|billable work on ticket #\d+ needs a contact who may order it\|Ville Virtanen is not authorised\. Contacts of ACME who may order billable work: Päivi Mäkelä\.\|.+',
    'billable work for an unauthorised contact: TK004 naming who may order');
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.worklog_add(%s, 60, true)', (SELECT anon FROM b))), 'TK004', 'billable work without a contact: TK004');
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.worklog_add(%s, 60, false)', (SELECT ville FROM b))), 'ok', 'non-billable work is fine');
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.worklog_add(%s, 90, true, ''asennus'')', (SELECT paivi FROM b))), 'ok', 'billable work ordered by Päivi is fine');
SELECT is((SELECT string_agg(agent || ':' || minutes || ':' || billable, ',' ORDER BY id) FROM tuki.worklog), 'tt_agent:60:false,tt_agent:90:true', 'the worklog');
SELECT is(pg_temp.run_as('tt_lead', format('SELECT tuki.worklog_add(%s, 5)', (SELECT paivi FROM b))), 'ok', 'a lead logs work too');
SELECT is(pg_temp.run_as('postgres', format('SELECT tuki.worklog_add(%s, 5)', (SELECT paivi FROM b))), 'TK005', 'a superuser who is not an agent cannot log work');

-- escalation and team queues
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_escalate(%s, ''second_line'')', (SELECT ville FROM b))), 'TK006', 'escalating to the current team is TK006');
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_escalate(%s, ''third_line'')', (SELECT ville FROM b))), 'ok', 'escalate to third line');
SELECT is(pg_temp.val_as('tt_third', 'SELECT tuki.ticket_take_next()'), (SELECT ville FROM b)::text, 'a third-line agent takes from the third-line queue');
SELECT is(pg_temp.val_as('tt_third', 'SELECT tuki.ticket_take_next()'), NULL, 'and there is nothing more for third line');

-- queue order: level rank, priority, earliest due, id
CREATE TEMP TABLE q AS
SELECT tuki.ticket_create(c, s, 'b', 'incident', i, u) AS id, s FROM (VALUES
    ('TATRA', 'q standard P5', 3, 3), ('KONE', 'q premium-raise P3', 2, 2), ('ACME', 'q premium P3', 2, 2),
    ('TATRA', 'q standard P1', 1, 1), ('ACME', 'q premium P5', 3, 3)) x(c, s, i, u);
SELECT results_eq($$SELECT service_level, priority FROM tuki.queue WHERE subject LIKE 'q %' ORDER BY position$$,
    $$VALUES ('premium', 3), ('premium', 3), ('premium', 5), ('standard', 1), ('standard', 5)$$,
    'queue: premium before standard, then priority');
-- due times (from the SLA clocks when they run; set by hand here) break ties within a priority
UPDATE tuki.ticket SET response_due = now() + interval '1 hour', resolve_due = now() + interval '1 hour' WHERE subject = 'q premium-raise P3';
UPDATE tuki.ticket SET response_due = now() + interval '2 hour', resolve_due = now() + interval '2 hours' WHERE subject = 'q premium P3';
SELECT results_eq($$SELECT id FROM tuki.queue ORDER BY position$$,
    $$SELECT t.id FROM tuki.ticket t JOIN tuki.service_level l ON l.code = t.service_level
       WHERE t.status NOT IN ('resolved', 'closed')
       ORDER BY l.rank, t.priority, least(CASE WHEN t.responded_at IS NULL THEN t.response_due END, t.resolve_due) NULLS LAST, t.id$$,
    'the queue is ordered by level rank, priority, the next deadline still running, id');
SELECT results_eq($$SELECT position FROM tuki.queue ORDER BY position$$,
    $$SELECT generate_series(1, (SELECT count(*) FROM tuki.queue))$$, 'position counts 1, 2, 3, ...');
CREATE TEMP TABLE top AS SELECT id FROM tuki.queue WHERE assignee IS NULL AND status IN ('new', 'open') ORDER BY position LIMIT 2;
SELECT is((SELECT subject FROM tuki.ticket WHERE id = (SELECT min(id) FROM top)), 'Tulostin', 'the reopened, released premium P1 ticket is at the top');
SELECT is(pg_temp.val_as('tt_lead', 'SELECT tuki.ticket_take_next()'), (SELECT min(id) FROM top)::text, 'take_next takes the top of the queue');
SELECT is((SELECT status || ':' || assignee FROM tuki.ticket WHERE id = (SELECT min(id) FROM top)), 'open:tt_lead', 'held by the taker');
SELECT is(pg_temp.val_as('tt_agent', 'SELECT tuki.ticket_take_next()'), (SELECT max(id) FROM top)::text, 'take_next again: the next in queue order');
SELECT is((SELECT status || ':' || assignee FROM tuki.ticket WHERE id = (SELECT max(id) FROM top)), 'open:tt_agent', 'new became open');

-- a response deadline already met no longer counts: the next running deadline orders the queue
SELECT set_config('tuki.now', (now() - interval '3 days')::text, true);
CREATE TEMP TABLE rq AS SELECT tuki.ticket_create('ACME', 'r answered', 'b', 'incident', 3, 3) AS early;
SELECT set_config('tuki.now', '', true);
ALTER TABLE rq ADD COLUMN late bigint;
UPDATE rq SET late = tuki.ticket_create('ACME', 'r unanswered', 'b', 'incident', 3, 3);
INSERT INTO tuki.message (ticket, visibility, body) SELECT early, 'public', 'answer' FROM rq;
SELECT ok((SELECT responded_at IS NOT NULL AND response_due < (SELECT response_due FROM tuki.ticket WHERE id = rq.late)
                  AND queue_due = resolve_due FROM tuki.ticket WHERE id = rq.early), 'answered: the queue''s due is resolve_due, though its response_due is earlier')
  FROM rq;
SELECT results_eq($$SELECT id FROM tuki.queue WHERE subject LIKE 'r %' ORDER BY position$$,
    $$SELECT late FROM rq UNION ALL SELECT early FROM rq$$, 'a met response deadline does not put a ticket ahead of one still waiting for its reply');
UPDATE tuki.ticket SET status = 'waiting_customer' WHERE id IN (SELECT early FROM rq UNION ALL SELECT late FROM rq);
SELECT is((SELECT array[t.next_due IS NULL, u.next_due = u.response_due] FROM rq, tuki.queue t, tuki.queue u WHERE t.id = rq.early AND u.id = rq.late),
    array[true, true], 'paused: next_due is null once answered, the response deadline while not');
SELECT is((SELECT queue_due FROM tuki.ticket, rq WHERE id = rq.early), 'infinity'::timestamptz, 'no running deadline sorts last: the queue''s due is infinity');

-- the top of the queue is an index scan
INSERT INTO tuki.ticket (customer, contract, service_level, subject, impact, urgency)
SELECT 'TATRA', (SELECT id FROM tuki.contract WHERE customer = 'TATRA'), 'standard', 'bulk ' || g, 1 + g % 3, 1 + g / 3 % 3
  FROM generate_series(1, 8000) g;
-- as on a working desk, most active tickets are held: the unassigned ones are few
UPDATE tuki.ticket SET status = 'open', assignee = 'tt_agent' WHERE subject LIKE 'bulk %' AND id % 4 <> 0;
ANALYZE tuki.ticket;
-- the plan of q, EXPLAIN with options opts (such as '(ANALYZE, COSTS OFF)')
CREATE FUNCTION pg_temp.plan_of(q text, opts text DEFAULT '') RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text; p text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN ' || opts || ' ' || q LOOP p := p || line || E'\n'; END LOOP;
    RETURN p;
END $$;
-- ORDER BY position LIMIT n: the ids numbered in queue order come out of a function scan in
-- position order (no sort by position, no window); the tickets are read by primary key in a
-- nested loop that keeps that order, and their SLA state computed, n times
SELECT matches(pg_temp.plan_of('SELECT * FROM tuki.queue ORDER BY position LIMIT 20'),
    '^Limit.*\n  ->  Nested Loop.*\n *->  Nested Loop.*\n *->  Function Scan on unnest o .*\n *->  Index Scan using ticket_pkey on ticket q', 'the top of tuki.queue: the numbered ids in position order, then the tickets by primary key in a nested loop, then their SLA state');
SELECT doesnt_match(pg_temp.plan_of('SELECT * FROM tuki.queue ORDER BY position LIMIT 20'), E'Hash|Merge|Seq Scan on ticket q|WindowAgg|Sort Key: [^\n]*position',
    'with no join of every active ticket and no sort by position');
-- a deep page too: the rows skipped are read by primary key, never all tickets by a scan
SELECT doesnt_match(pg_temp.plan_of('SELECT * FROM tuki.queue ORDER BY position LIMIT 20 OFFSET 4000'), 'Hash|Merge|Seq Scan on ticket q',
    'a deep page of tuki.queue (OFFSET 4000) reads no ticket by a sequential scan and joins none by hash or merge');
-- the SLA state of the rows returned only: the nested loop under the limit runs its inner side
-- (the ticket by primary key, then the inlined tuki.sla_now) 20 times, not once per active ticket
SELECT matches(pg_temp.plan_of('SELECT * FROM tuki.queue ORDER BY position LIMIT 20', '(ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)'),
    'Index Scan using ticket_pkey on ticket q \(actual rows=1 loops=20\).*\n *-> .*\(actual rows=1 loops=20\)',
    'the SLA state of tuki.queue ORDER BY position LIMIT 20 is computed for those 20 rows only');
-- and it is tuki.sla's judgement: the worst state and the least time left of the unfinished clocks
SELECT is((SELECT count(*) FROM tuki.queue q
             JOIN (SELECT s.ticket,
                          CASE WHEN bool_or(s.state = 'breached') THEN 'breached'
                               WHEN bool_or(s.state = 'warning') THEN 'warning'
                               WHEN bool_or(s.state = 'ok') THEN 'ok' END AS state,
                          min(s.remaining) AS remaining
                     FROM tuki.sla s WHERE s.state IN ('ok', 'warning', 'breached') GROUP BY s.ticket) w
               ON w.ticket = q.id
            WHERE q.sla_state IS DISTINCT FROM w.state OR round(q.business_minutes_left, 2) IS DISTINCT FROM round(w.remaining, 2)),
          0::bigint, 'tuki.queue''s SLA state and minutes left agree with tuki.sla for every active ticket');
SELECT matches(pg_temp.plan_of($$SELECT t.id FROM tuki.ticket t WHERE t.is_active AND t.assignee IS NULL
     ORDER BY t.service_rank, t.priority, t.queue_due, t.id LIMIT 1 FOR UPDATE OF t SKIP LOCKED$$),
    'Index Scan using ticket_takeable', 'take_next''s query uses the index ticket_takeable');
-- the console's deep page by key, as an agent (row-level security applies): the key's row
-- comparison starts the index range, whatever the depth; a non-leakproof comparison (a
-- composite's) would be a filter over every ticket before the key
SELECT matches(pg_temp.val_as('tt_agent', format($q$SELECT pg_temp.plan_of(%L)$q$,
    $$SELECT * FROM tuki.queue_after('all', NULL, ROW(1, 1, now() - interval '1 year', 1)::tuki.queue_key, 20)$$)),
    'Index Scan using ticket_queue_order on ticket t .*\n\s+Index Cond: \(ROW\(service_rank, priority, queue_due, id\) > ROW\(', 'an agent''s page by key is an index range of the queue from the key');
SELECT matches(pg_temp.val_as('tt_agent', format($q$SELECT pg_temp.plan_of(%L)$q$,
    $$SELECT * FROM tuki.queue_after('mine', NULL, ROW(1, 1, now() - interval '1 year', 1)::tuki.queue_key, 20)$$)),
    'Index Scan using ticket_(queue_order|assignee) on ticket t .*\n\s+Index Cond: \(.*ROW\(service_rank, priority, queue_due, id\) > ROW\(', 'the filter mine by key too');
-- an agent holding few of the many: the assignee's index finds them, not a walk of the whole queue;
-- the login compared must be text in the default collation (a role name's text is C), or no
-- index on a login column can be used
UPDATE tuki.ticket SET assignee = 'tt_lead' WHERE id IN (SELECT id FROM tuki.ticket WHERE subject LIKE 'bulk %' AND is_active ORDER BY id LIMIT 5);
ANALYZE tuki.ticket;
SELECT matches(pg_temp.val_as('tt_lead', format($q$SELECT pg_temp.plan_of(%L)$q$,
    $$SELECT * FROM tuki.queue_after('mine', NULL, ROW(1, 1, now() - interval '1 year', 1)::tuki.queue_key, 20)$$)),
    'Index Scan using ticket_assignee on ticket t .*\n\s+Index Cond: \(\(assignee = ', 'the filter mine of an agent holding 5 of 8,000: the assignee''s index');
-- and a contact's own rows are found through the index of logins (a handful of contacts here: a
-- sequential scan would be cheaper, so it is ruled out)
CREATE ROLE tt_paivi LOGIN IN ROLE tuki_customer;
UPDATE tuki.contact SET login = 'tt_paivi' WHERE email = 'paivi@acme.fi';
SET LOCAL enable_seqscan = off;
SELECT matches(pg_temp.val_as('tt_paivi', format($q$SELECT pg_temp.plan_of(%L)$q$, 'SELECT id FROM tuki.ticket')),
    'Index Scan using contact_login_key', 'a contact''s row-level security finds the contact by the index of logins');
RESET enable_seqscan;
SELECT ok((SELECT p ~ 'InitPlan' AND p !~ 'tuki_customer'
             FROM pg_temp.val_as('tt_agent', format($q$SELECT pg_temp.plan_of(%L)$q$, 'SELECT * FROM tuki.queue LIMIT 5')) p),
    'the staff policy is judged once per query (an init plan), not per row');
SELECT is((SELECT open::text || '/' || active FROM tuki.workload WHERE login = 'tt_agent'),
          (SELECT count(*) || '/' || count(*) FROM tuki.ticket WHERE assignee = 'tt_agent' AND status IN ('new', 'open')), 'tuki.workload counts held tickets');

-- bugs: confirmed with a fix version the customer is told
CREATE TEMP TABLE bug AS SELECT tuki.ticket_create('ACME', 'Raportti kaatuu', 'b', 'bug') AS id, tuki.ticket_create('ACME', 'Kysymys', 'b', 'question') AS q;
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_confirm_bug(%s, ''2.4.1'')', (SELECT q FROM bug))), 'TK006', 'only bugs are confirmed');
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_confirm_bug(%s, ''2.4.1'')', (SELECT id FROM bug))), 'ok', 'confirm a bug with its fix version');
SELECT is((SELECT bug_confirmed::text || ' ' || fix_version FROM tuki.ticket WHERE id = (SELECT id FROM bug)), 'true 2.4.1', 'the ticket says so');
SELECT is((SELECT body FROM tuki.message WHERE ticket = (SELECT id FROM bug) AND visibility = 'public' AND NOT from_customer),
    'Vika on vahvistettu ja korjataan versiossa 2.4.1.', 'and the customer is told in a public message (the desk''s language, Finnish)');
SELECT is((SELECT detail FROM tuki.ticket_event WHERE ticket = (SELECT id FROM bug) AND kind = 'edit'),
    '{"fix_version": {"to": "2.4.1", "from": null}, "bug_confirmed": {"to": true, "from": false}}'::jsonb, 'the history records it');

-- one contract in force per customer and day
SELECT matches(pg_temp.err_as('postgres', $$INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('ACME', 'light', 'fi-8-16', '2024-01-01')$$),
    '^TK006\|contract of ACME from 2024-01-01 overlaps contract \d+\|Contract \d+ is valid from 2020-01-01 to further notice\.\|End the old one first', 'overlapping contracts are refused');
SELECT is(pg_temp.run_as('postgres', $$INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('OLD', 'light', 'fi-8-16', '2022-01-01')$$),
    'ok', 'a contract starting the day after the last one ended is fine');

-- registering agents
SELECT is(pg_temp.run_as('postgres', 'SELECT tuki.agent_add(''tt_made'', ''Milla Tehty'', ''third_line'', true)'), 'ok', 'a superuser registers a new agent');
SELECT ok((SELECT rolcanlogin FROM pg_roles WHERE rolname = 'tt_made') AND pg_has_role('tt_made', 'tuki_agent', 'MEMBER')
          AND pg_has_role('tt_made', 'tuki_lead', 'MEMBER'), 'creating its login role, member of tuki_agent and tuki_lead');
SELECT is(pg_temp.run_as('tt_lead', 'SELECT tuki.agent_add(''tt_made'', ''Milla Tehty'', ''third_line'', false)'), 'ok', 'a lead updates an agent');
SELECT ok(NOT pg_has_role('tt_made', 'tuki_lead', 'MEMBER') AND NOT (SELECT is_lead FROM tuki.agent WHERE login = 'tt_made'), 'no longer a lead');
SELECT matches(pg_temp.err_as('tt_lead', 'SELECT tuki.agent_add(''tt_missing'', ''Ei Ole'')'), '^TK006\|role tt_missing does not exist\|.*\|Ask a DBA: CREATE ROLE tt_missing LOGIN;',
    'a lead without CREATEROLE cannot create the role: TK006 with the DBA''s command');
SELECT is(pg_temp.run_as('postgres', 'SELECT tuki.agent_add(''Bad Name'', ''x'')'), 'TK006', 'an odd login is refused');
SELECT is(pg_temp.run_as('postgres', 'SELECT tuki.agent_add(''postgres'', ''x'')'), 'TK006', 'a superuser cannot become an agent');
SELECT is(pg_temp.run_as('postgres', 'SELECT tuki.agent_add(''tuki_owner'', ''x'')'), 'TK006', 'nor the owner role');

SELECT * FROM finish();
ROLLBACK;
