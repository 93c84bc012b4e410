-- SLA clock scenarios, computed by hand. Calendar fi-8-16 (Helsinki, Mon-Fri 08-16, UTC+2 in
-- November): a business day is 480 minutes. Standard targets (migration 003): P2 response 120 /
-- resolve 960, P3 480 / 2880, P5 1920 / 9600; P1 60 / 480. Premium halves them: P5 960 / 4800.
-- The desk's clock is moved with the tuki.now setting (the test runs as a superuser).
BEGIN;
SELECT plan(59);

CREATE TEMP TABLE ids (name text PRIMARY KEY, id bigint NOT NULL);
CREATE FUNCTION pg_temp.t(n text) RETURNS bigint LANGUAGE sql AS $$ SELECT id FROM ids WHERE name = n $$;
CREATE FUNCTION pg_temp.at(ts text) RETURNS void LANGUAGE sql AS $$ SELECT set_config('tuki.now', ts, true) $$;
CREATE FUNCTION pg_temp.clock(tid bigint, which text) RETURNS tuki.sla LANGUAGE sql AS $$
    SELECT * FROM tuki.sla WHERE ticket = tid AND target = which $$;
CREATE FUNCTION pg_temp.reasons(tid bigint) RETURNS text[] LANGUAGE sql AS $$
    SELECT array_agg(detail->>'reason' ORDER BY id) FROM tuki.ticket_event WHERE ticket = tid AND kind = 'sla_recalc' $$;

INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy'), ('RAISE', 'Nousu Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('ACME', 'standard', 'fi-8-16', '2020-01-01');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from, raise_level, raise_from, raise_to)
VALUES ('RAISE', 'standard', 'fi-8-16', '2020-01-01', 'premium', '2026-12-01', '2026-12-02');

-- A. Pause and resume. P2 created Monday 23 November 08:00.
SELECT pg_temp.at('2026-11-23 08:00+02');
INSERT INTO ids SELECT 'a', tuki.ticket_create('ACME', 'A: pause and resume', 'help', impact => 1, urgency => 2);
SELECT is((SELECT response_due FROM tuki.ticket WHERE id = pg_temp.t('a')), '2026-11-23 10:00+02'::timestamptz,
          'A: response due 120 business minutes after 08:00 = 10:00');
SELECT is((SELECT resolve_due FROM tuki.ticket WHERE id = pg_temp.t('a')), '2026-11-24 16:00+02'::timestamptz,
          'A: resolve due 960 minutes = two full days = Tuesday 16:00');
SELECT is((SELECT response_due_cum - (SELECT us FROM tuki.open_before((SELECT id FROM tuki.calendar WHERE code = 'fi-8-16'), '2026-11-23 08:00+02'))
             FROM tuki.ticket WHERE id = pg_temp.t('a')), 120 * 60000000::bigint,
          'A: response_due_cum is 120 business minutes (in microseconds) past the open-time total at creation');
SELECT pg_temp.at('2026-11-23 09:00+02');
SELECT tuki.ticket_reply(pg_temp.t('a'), 'Looking into it');
SELECT results_eq($$ SELECT state, used FROM pg_temp.clock(pg_temp.t('a'), 'response') $$, $$ VALUES ('met', 60.0::numeric) $$,
                  'A: first public reply at 09:00 stops the response clock: met after 60 minutes');
SELECT pg_temp.at('2026-11-23 12:00+02');
SELECT tuki.ticket_set_status(pg_temp.t('a'), 'open');
SELECT tuki.ticket_set_status(pg_temp.t('a'), 'waiting_customer');
SELECT results_eq($$ SELECT paused, due, used, state FROM pg_temp.clock(pg_temp.t('a'), 'resolve') $$,
                  $$ VALUES (true, NULL::timestamptz, 240.0::numeric, 'ok') $$,
                  'A: waiting_customer at 12:00 pauses resolution after 240 minutes; no due while paused');
-- Tuesday passes while paused: nothing is used.
SELECT pg_temp.at('2026-11-25 10:00+02');
SELECT is((SELECT used FROM pg_temp.clock(pg_temp.t('a'), 'resolve')), 240.0::numeric, 'A: a paused clock does not move (Wednesday 10:00 still 240)');
SELECT tuki.ticket_set_status(pg_temp.t('a'), 'open');
-- 960 - 240 = 720 left from Wednesday 10:00: 360 on Wednesday, 360 on Thursday -> Thursday 14:00.
SELECT is((SELECT resolve_due FROM tuki.ticket WHERE id = pg_temp.t('a')), '2026-11-26 14:00+02'::timestamptz,
          'A: resumed Wednesday 10:00 with 720 left: due Thursday 14:00');
SELECT pg_temp.at('2026-11-25 12:00+02');
SELECT results_eq($$ SELECT used, remaining, state FROM pg_temp.clock(pg_temp.t('a'), 'resolve') $$,
                  $$ VALUES (360.0::numeric, 600.0::numeric, 'ok') $$,
                  'A: Wednesday 12:00: 240 + 120 used, 600 left, ok');
-- Thursday 13:00: 240 + 360 + 300 = 900 >= 720 (75%): warning.
SELECT pg_temp.at('2026-11-26 13:00+02');
SELECT is((SELECT state FROM pg_temp.clock(pg_temp.t('a'), 'resolve')), 'warning', 'A: Thursday 13:00, 900 of 960 used: warning');
-- Thursday 14:30: 990 used: breached, 30 over.
SELECT pg_temp.at('2026-11-26 14:30+02');
SELECT results_eq($$ SELECT state, remaining FROM pg_temp.clock(pg_temp.t('a'), 'resolve') $$, $$ VALUES ('breached', -30.0::numeric) $$,
                  'A: Thursday 14:30, 990 used: breached by 30');
SELECT is(pg_temp.reasons(pg_temp.t('a')), ARRAY['created', 'pause', 'resume'], 'A: each recalculation is an sla_recalc event (created, pause, resume)');

-- B. Reopen. P3 (480 / 2880) created Monday 08:00, resolved at 12:00 (240 used), reopened Tuesday 10:00.
SELECT pg_temp.at('2026-11-23 08:00+02');
INSERT INTO ids SELECT 'b', tuki.ticket_create('ACME', 'B: reopen', 'help', impact => 2, urgency => 2);
SELECT pg_temp.at('2026-11-23 12:00+02');
SELECT tuki.ticket_set_status(pg_temp.t('b'), 'resolved', 'restarted the spooler');
SELECT results_eq($$ SELECT target, state, paused, used FROM tuki.sla WHERE ticket = pg_temp.t('b') ORDER BY target DESC $$,
                  $$ VALUES ('response', 'met', false, 240.0::numeric), ('resolve', 'met', true, 240.0::numeric) $$,
                  'B: resolving at 12:00 stops response (met) and pauses resolution at 240 (met while resolved)');
SELECT pg_temp.at('2026-11-24 10:00+02');
SELECT tuki.ticket_set_status(pg_temp.t('b'), 'open');
-- 2880 - 240 = 2640 left from Tuesday 10:00: 360 Tue, 480 Wed, Thu, Fri, Mon 30 = 2280, 360 on Tuesday 1 December.
SELECT is((SELECT resolve_due FROM tuki.ticket WHERE id = pg_temp.t('b')), '2026-12-01 14:00+02'::timestamptz,
          'B: reopened with 240 already used: due Tuesday 1 December 14:00');
SELECT is((SELECT resolve_used FROM tuki.ticket WHERE id = pg_temp.t('b')), 240::numeric, 'B: the time used before resolution is kept');
SELECT pg_temp.at('2026-11-24 12:00+02');
SELECT results_eq($$ SELECT used, state, paused FROM pg_temp.clock(pg_temp.t('b'), 'resolve') $$, $$ VALUES (360.0::numeric, 'ok', false) $$,
                  'B: two hours after reopening: 240 + 120 used, running again');

-- C. Priority up and down mid-way. P5 (1920 / 9600) created Monday 08:00.
SELECT pg_temp.at('2026-11-23 08:00+02');
INSERT INTO ids SELECT 'c', tuki.ticket_create('ACME', 'C: priority', 'help', impact => 3, urgency => 3);
SELECT is((SELECT resolve_due FROM tuki.ticket WHERE id = pg_temp.t('c')), '2026-12-18 16:00+02'::timestamptz,
          'C: P5 resolve 9600 = 20 working days = four weeks: Friday 18 December 16:00');
SELECT pg_temp.at('2026-11-23 10:00+02');
SELECT tuki.ticket_set_priority(pg_temp.t('c'), 1, 1);
-- P1: response 60 from 08:00 = 09:00, already past; resolve 480 with 120 used: 360 from 10:00 = 16:00.
SELECT is((SELECT response_due FROM tuki.ticket WHERE id = pg_temp.t('c')), '2026-11-23 09:00+02'::timestamptz,
          'C: raised to P1 at 10:00: response due 08:00 + 60 = 09:00 (already past)');
SELECT is((SELECT resolve_due FROM tuki.ticket WHERE id = pg_temp.t('c')), '2026-11-23 16:00+02'::timestamptz,
          'C: P1 resolve 480 - 120 used = 360 from 10:00 = 16:00');
SELECT is((SELECT state FROM pg_temp.clock(pg_temp.t('c'), 'response')), 'breached', 'C: response used 120 of P1''s 60: breached');
SELECT pg_temp.at('2026-11-23 10:30+02');
SELECT cmp_ok(tuki.sla_sweep(), '>=', 2, 'C: the sweep records new warnings and breaches');
SELECT is((SELECT count(*)::int FROM tuki.ticket_event WHERE ticket = pg_temp.t('c') AND kind = 'sla_breach' AND detail->>'target' = 'response'), 1,
          'C: the response breach is in the history once');
SELECT is((SELECT count(*)::int FROM tuki.ticket_event WHERE ticket = pg_temp.t('c') AND kind = 'sla_warning' AND detail->>'target' = 'response'), 1,
          'C: so is the response warning');
SELECT is(tuki.sla_sweep(), 0, 'C: a second sweep at the same time records nothing');
SELECT pg_temp.at('2026-11-23 11:00+02');
SELECT tuki.ticket_set_priority(pg_temp.t('c'), 2, 2);
-- P3: response 480 from 08:00 = 16:00; resolve 2880 with 180 used (120 banked at 10:00 + 60 as P1):
-- 2700 left from Monday 11:00: 300 Monday, then 2400 = 5 days: Tue-Fri and Monday 30 November 16:00.
SELECT is((SELECT response_due FROM tuki.ticket WHERE id = pg_temp.t('c')), '2026-11-23 16:00+02'::timestamptz,
          'C: lowered to P3 at 11:00: response due 08:00 + 480 = 16:00');
SELECT is((SELECT resolve_used FROM tuki.ticket WHERE id = pg_temp.t('c')), 180::numeric, 'C: 180 resolution minutes kept across both changes');
SELECT is((SELECT resolve_due FROM tuki.ticket WHERE id = pg_temp.t('c')), '2026-11-30 16:00+02'::timestamptz,
          'C: P3 resolve 2880 - 180 = 2700 from Monday 11:00 = Monday 30 November 16:00');
SELECT results_eq($$ SELECT state, used, remaining FROM pg_temp.clock(pg_temp.t('c'), 'response') $$, $$ VALUES ('ok', 180.0::numeric, 300.0::numeric) $$,
                  'C: response 180 of 480 used: ok again (below 360)');
SELECT is(pg_temp.reasons(pg_temp.t('c')), ARRAY['created', 'priority', 'priority'], 'C: both priority changes are sla_recalc events');
SELECT is((SELECT count(*)::int FROM tuki.ticket_event WHERE ticket = pg_temp.t('c') AND kind = 'sla_breach'), 1,
          'C: the breach recorded under P1 stays, once');

-- D. Temporary level raise: premium from Tuesday 1 to Wednesday 2 December.
SELECT pg_temp.at('2026-11-30 10:00+02');
INSERT INTO ids SELECT 'd1', tuki.ticket_create('RAISE', 'D: before the raise', 'help');
SELECT pg_temp.at('2026-12-01 10:00+02');
INSERT INTO ids SELECT 'd2', tuki.ticket_create('RAISE', 'D: in the raise', 'help');
SELECT results_eq($$ SELECT service_level, response_target FROM tuki.ticket WHERE id = pg_temp.t('d2') $$, $$ VALUES ('premium', 960) $$,
                  'D: a ticket created in the raise gets premium targets (P5 response 960)');
SELECT results_eq($$ SELECT service_level, response_target FROM tuki.ticket WHERE id = pg_temp.t('d1') $$, $$ VALUES ('standard', 1920) $$,
                  'D: a ticket created the day before does not (standard P5 response 1920)');
-- Extending the raise back to Monday 30 November reaches the Monday ticket, keeping its time used.
SELECT pg_temp.at('2026-12-01 12:00+02');
UPDATE tuki.contract SET raise_from = '2026-11-30' WHERE customer = 'RAISE';
SELECT results_eq($$ SELECT service_level, response_target, response_due FROM tuki.ticket WHERE id = pg_temp.t('d1') $$,
                  $$ VALUES ('premium', 960, '2026-12-02 10:00+02'::timestamptz) $$,
                  'D: after the contract change the Monday ticket is premium: response 960 = two days from Monday 10:00');
SELECT is((SELECT used FROM pg_temp.clock(pg_temp.t('d1'), 'resolve')), 600.0::numeric,
          'D: its resolution time used is kept: Monday 10-16 (360) + Tuesday 08-12 (240)');
SELECT is(pg_temp.reasons(pg_temp.t('d1')), ARRAY['created', 'level'], 'D: the level change is an sla_recalc event');

-- E. Calendars are data: a new holiday on Tuesday 1 December moves B's deadline a day on.
SELECT pg_temp.at('2026-11-24 12:00+02');
INSERT INTO tuki.holiday (calendar, day, name) VALUES ('fi-8-16', '2026-12-01', 'test closure');
SELECT is((SELECT resolve_due FROM tuki.ticket WHERE id = pg_temp.t('b')), '2026-12-02 14:00+02'::timestamptz,
          'E: B''s due moves from Tuesday 1 to Wednesday 2 December 14:00');
SELECT is((pg_temp.reasons(pg_temp.t('b')))[array_upper(pg_temp.reasons(pg_temp.t('b')), 1)], 'calendar', 'E: with an sla_recalc event, reason calendar');

-- F. The warning threshold is a setting. P2 tickets (response 120) created Monday 30 November.
SELECT pg_temp.at('2026-11-30 10:00+02');
INSERT INTO ids SELECT 'f', tuki.ticket_create('ACME', 'F: threshold 75', 'help', impact => 1, urgency => 2);
CREATE FUNCTION pg_temp.warned(tid bigint) RETURNS int LANGUAGE sql AS $$
    SELECT count(*)::int FROM tuki.ticket_event WHERE ticket = tid AND kind = 'sla_warning' AND detail->>'target' = 'response' $$;
-- 75% of 120 is 90 minutes: 11:29 is one minute short, 11:30 reaches it.
SELECT pg_temp.at('2026-11-30 11:29+02');
SELECT tuki.sla_sweep();
SELECT is(pg_temp.warned(pg_temp.t('f')), 0, 'F: no response warning after 89 of 120 minutes');
SELECT is((SELECT state FROM pg_temp.clock(pg_temp.t('f'), 'response')), 'ok', 'F: state ok at 11:29');
SELECT pg_temp.at('2026-11-30 11:30+02');
SELECT tuki.sla_sweep();
SELECT is(pg_temp.warned(pg_temp.t('f')), 1, 'F: the sweep at 11:30 (90 = 75% of 120) records the warning');
SELECT is((SELECT state FROM pg_temp.clock(pg_temp.t('f'), 'response')), 'warning', 'F: state warning at 11:30');
-- At 50% the warning comes at 60 minutes: a ticket created at 12:00 is warned at 13:00.
SELECT pg_temp.at('2026-11-30 12:00+02');
INSERT INTO ids SELECT 'g', tuki.ticket_create('ACME', 'F: threshold 50', 'help', impact => 1, urgency => 2);
UPDATE tuki.setting SET value = '50' WHERE key = 'sla_warning_percent';
SELECT pg_temp.at('2026-11-30 12:59+02');
SELECT tuki.sla_sweep();
SELECT is(pg_temp.warned(pg_temp.t('g')), 0, 'F: threshold 50%: no warning after 59 minutes');
SELECT pg_temp.at('2026-11-30 13:00+02');
SELECT tuki.sla_sweep();
SELECT is(pg_temp.warned(pg_temp.t('g')), 1, 'F: threshold 50%: the warning comes at 60 minutes');
SELECT is((SELECT state FROM pg_temp.clock(pg_temp.t('g'), 'response')), 'warning', 'F: and the view agrees');
UPDATE tuki.setting SET value = '75' WHERE key = 'sla_warning_percent';
SELECT throws_ok($$ UPDATE tuki.setting SET value = '150' WHERE key = 'sla_warning_percent' $$, '23514', NULL,
                 'F: a threshold outside 0-100 is refused');

-- G. Closing keeps the outcome; closed is final.
SELECT pg_temp.at('2026-11-24 14:00+02');
SELECT tuki.ticket_set_status(pg_temp.t('b'), 'resolved', 'fixed for good');
SELECT tuki.ticket_set_status(pg_temp.t('b'), 'closed');
SELECT results_eq($$ SELECT target, state, paused FROM tuki.sla WHERE ticket = pg_temp.t('b') ORDER BY target DESC $$,
                  $$ VALUES ('response', 'met', false), ('resolve', 'met', false) $$,
                  'G: closed: both clocks met, resolution no longer paused but stopped');
-- Thursday 15:00: A has used 240 + 360 + 420 = 1020 of 960.
SELECT pg_temp.at('2026-11-26 15:00+02');
SELECT is((SELECT sla_state FROM tuki.queue WHERE id = pg_temp.t('a')), 'breached', 'G: the queue shows A breached');
SELECT is((SELECT business_minutes_left FROM tuki.queue WHERE id = pg_temp.t('a')), -60.0::numeric, 'G: with -60 business minutes left');

-- H. New targets keep the time used. Light P2 (240 / 1920) on fi-8-16, Monday 7 December 2026
-- (a normal Monday; the holidays nearest are 6 and 24 December). The targets change through
-- tuki.sla_recompute's bulk rewrite, which takes where each clock started from the stored
-- deadline positions instead of looking it up: the answers must be what a look-up gives.
INSERT INTO tuki.customer (code, name) VALUES ('TGT', 'Tavoite Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('TGT', 'light', 'fi-8-16', '2020-01-01');
SELECT pg_temp.at('2026-12-07 08:00+02');
INSERT INTO ids SELECT 'h1', tuki.ticket_create('TGT', 'H1: runs since creation', 'x', impact => 1, urgency => 2);
INSERT INTO ids SELECT 'h2', tuki.ticket_create('TGT', 'H2: paused once', 'x', impact => 1, urgency => 2);
INSERT INTO ids SELECT 'h3', tuki.ticket_create('TGT', 'H3: answered', 'x', impact => 1, urgency => 2);
SELECT pg_temp.at('2026-12-07 09:00+02');
SELECT tuki.ticket_reply(pg_temp.t('h3'), 'On it');
SELECT pg_temp.at('2026-12-07 10:00+02');
SELECT tuki.ticket_set_status(pg_temp.t('h2'), 'open');
SELECT tuki.ticket_set_status(pg_temp.t('h2'), 'waiting_customer');
SELECT pg_temp.at('2026-12-07 12:00+02');
SELECT tuki.ticket_set_status(pg_temp.t('h2'), 'open');
CREATE TEMP TABLE h_before AS
    SELECT t.id, t.version, (SELECT count(*) FROM tuki.ticket_event e WHERE e.ticket = t.id) AS events
      FROM tuki.ticket t;
SELECT pg_temp.at('2026-12-07 13:00+02');
UPDATE tuki.sla_target SET response_minutes = 480, resolve_minutes = 3840 WHERE service_level = 'light' AND priority = 2;
-- H1: 480 from Monday 08:00 = Monday 16:00; 3840 = eight business days = Wednesday 16 December 16:00.
SELECT results_eq($$ SELECT response_due, resolve_due FROM tuki.ticket WHERE id = pg_temp.t('h1') $$,
                  $$ VALUES ('2026-12-07 16:00+02'::timestamptz, '2026-12-16 16:00+02'::timestamptz) $$,
                  'H: doubled targets: H1 response due Monday 16:00, resolve due Wednesday 16 December 16:00');
-- H2: 120 used before the pause, running again since 12:00 with 3840 - 120 = 3720 left:
-- Monday 240, then 480 a day Tuesday to Wednesday 16th (3360), 120 on Thursday 17th: 10:00.
SELECT results_eq($$ SELECT response_due, resolve_due FROM tuki.ticket WHERE id = pg_temp.t('h2') $$,
                  $$ VALUES ('2026-12-07 16:00+02'::timestamptz, '2026-12-17 10:00+02'::timestamptz) $$,
                  'H: H2 keeps its 120 minutes used: resolve due Thursday 17 December 10:00');
-- H3 was answered at 09:00: its response deadline (240 after 08:00) stays.
SELECT results_eq($$ SELECT response_due, resolve_due FROM tuki.ticket WHERE id = pg_temp.t('h3') $$,
                  $$ VALUES ('2026-12-07 12:00+02'::timestamptz, '2026-12-16 16:00+02'::timestamptz) $$,
                  'H: H3''s met response keeps its deadline; its resolution moves like H1''s');
SELECT is(tuki.sla_recompute('check'), 0,
          'H: a full recompute, every clock''s start looked up in the calendar, finds nothing to change');
CREATE TEMP TABLE h_events AS
    SELECT e.* FROM tuki.ticket_event e JOIN h_before b ON b.id = e.ticket
     WHERE e.id > (SELECT max(x.id) FROM tuki.ticket_event x WHERE x.ticket IN (SELECT id FROM h_before) AND x.at < '2026-12-07 13:00+02');
SELECT results_eq($$ SELECT ticket, kind, detail->>'reason' FROM h_events ORDER BY ticket $$,
                  $$ VALUES (pg_temp.t('h1'), 'sla_recalc', 'targets'), (pg_temp.t('h2'), 'sla_recalc', 'targets'),
                            (pg_temp.t('h3'), 'sla_recalc', 'targets') $$,
                  'H: one sla_recalc event, reason targets, for each of the three and for no other ticket');
SELECT is((SELECT array_agg(DISTINCT at = '2026-12-07 13:00+02' AND actor = session_user) FROM h_events), ARRAY[true],
          'H: the events are stamped with the desk''s time and the acting login');
SELECT is((SELECT (detail->'resolve'->>'target')::int FROM h_events WHERE ticket = pg_temp.t('h2')), 3840,
          'H: the event carries the new resolution target');
-- the detail has the declared shape: read back typed, it is the whole of H2's clocks
SELECT results_eq($$ SELECT d.reason, (d.response).target, (d.response).due, (d.response).stopped,
                            (d.resolve).target, (d.resolve).due, (d.resolve).used, (d.resolve).paused, (d.resolve).since
                       FROM h_events e, jsonb_populate_record(NULL::tuki.sla_recalc_detail, e.detail) d
                      WHERE e.ticket = pg_temp.t('h2') $$,
                  $$ SELECT 'targets'::text, 480, '2026-12-07 16:00+02'::timestamptz, NULL::timestamptz,
                            3840, '2026-12-17 10:00+02'::timestamptz, 120.00::numeric, false, '2026-12-07 12:00+02'::timestamptz $$,
                  'H: H2''s event read back as tuki.sla_recalc_detail: reason, both targets and deadlines, 120 used, running since 12:00');
SELECT results_eq($$ SELECT t.version - b.version, t.updated_at FROM tuki.ticket t JOIN h_before b ON b.id = t.id
                      WHERE t.id = pg_temp.t('h1') $$,
                  $$ VALUES (1, '2026-12-07 13:00+02'::timestamptz) $$,
                  'H: the rewrite is one new version of the ticket, updated at 13:00');
SELECT is((SELECT count(*)::int FROM tuki.ticket t JOIN h_before b ON b.id = t.id WHERE t.version <> b.version),
          3, 'H: no other ticket got a new version');
SELECT is((SELECT used FROM pg_temp.clock(pg_temp.t('h2'), 'resolve')), 180.0::numeric,
          'H: H2 at 13:00 has used 120 + 60 minutes, as before the change');
-- the same targets again through a full recompute, nothing moves: and after the targets go
-- back, the deadlines are the ones before the change
UPDATE tuki.sla_target SET response_minutes = 240, resolve_minutes = 1920 WHERE service_level = 'light' AND priority = 2;
SELECT results_eq($$ SELECT response_due, resolve_due FROM tuki.ticket WHERE id = pg_temp.t('h2') $$,
                  $$ VALUES ('2026-12-07 12:00+02'::timestamptz, '2026-12-11 10:00+02'::timestamptz) $$,
                  'H: back to 240 / 1920: H2 due 12:00 and (1800 left from Monday 12:00) Friday 10:00');

SELECT * FROM finish();
ROLLBACK;
