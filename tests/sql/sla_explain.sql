-- tuki.sla_explain: the arithmetic behind a ticket's deadlines, checked line by line against
-- figures computed by hand. Calendar fi-8-16: Helsinki (UTC+2 in December), Mon-Fri 08-16, a
-- business day is 480 minutes, Finnish holidays. Standard targets: P2 response 120 / resolve
-- 960, P3 480 / 2880. The desk's clock is moved with the tuki.now setting (superuser).
--
-- Ticket A, a Christmas incident, impact 2 urgency 2 = P3, created Wed 23 Dec 2026 14:00:
--   Wed 23 14:00-16:00 = 120 business minutes; Thu 24 (Jouluaatto), Fri 25 (Joulupäivä), Sat 26
--   (Tapaninpäivä, a Saturday anyway) and Sun 27 count nothing; Mon 28 opens at 08:00.
--   response 480: 120 on Wed + 360 on Mon = due Mon 28 14:00.
--   Mon 08:30 open and a public reply: the response clock stops at 120 + 30 = 150 (330 left, met).
--   Mon 09:00 priority -> impact 1 urgency 2 = P2: resolve target 2880 -> 960; used so far
--     150 (new) + 30 (open) = 180 kept, 960 - 180 = 780 left. The response target stays (met).
--   Mon 10:00 waiting_customer: resolve used 180 + 60 = 240, paused.
--   Tue 29 12:00 back to open: the pause covered Mon 10-16 (360) + Tue 08-12 (240) = 600 open
--     minutes not counted.
--   Now Tue 29 13:00: used 240 + 60 = 300 of 960, 660 left, ok (31% used).
--   Deadline: resumed Tue 12:00 with 960 - 240 = 720 left: 240 on Tue (12-16) + 480 on Wed 30
--     = Wed 30 Dec 16:00 exactly, the closing time (business_add stops there).
-- Ticket B, P3 created Wed 23 Dec 15:00, raised to P2 on Mon 28 09:00 before any reply:
--   response target 480 -> 120; used 60 (Wed 15-16) + 60 (Mon 08-09) = 120 kept, 0 left, so the
--   response is due Mon 28 09:00 (60 on Wed, 60 on Mon) and not 14:00 as under P3.
--   Now Tue 29 13:00: 60 + 480 (all of Mon) + 300 (Tue 08-13) = 840 used, 720 over: breached.
BEGIN;
SELECT plan(30);

\ir lib/as_role.psql

CREATE ROLE tx_agent LOGIN IN ROLE tuki_agent;
CREATE ROLE tx_cust LOGIN IN ROLE tuki_customer;
SELECT tuki.agent_add('tx_agent', 'Aino Agent', 'second_line') IS NULL AS registered \gset
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('ACME', 'standard', 'fi-8-16', '2020-01-01');
INSERT INTO tuki.contact (customer, name, email, login) VALUES ('ACME', 'Päivi Mäkelä', 'paivi@acme.fi', 'tx_cust');

CREATE TEMP TABLE ids (name text PRIMARY KEY, id bigint NOT NULL);
GRANT SELECT ON ids TO PUBLIC;
CREATE FUNCTION pg_temp.at(ts text) RETURNS void LANGUAGE sql AS $$ SELECT set_config('tuki.now', ts, false) $$;
CREATE FUNCTION pg_temp.t(n text) RETURNS bigint LANGUAGE sql AS $$ SELECT id FROM ids WHERE name = n $$;
CREATE FUNCTION pg_temp.line(tid bigint, k integer) RETURNS text LANGUAGE sql AS $$
    SELECT line FROM tuki.sla_explain(tid) WHERE n = k $$;

SELECT pg_temp.at('2026-12-23 14:00+02') IS NULL AS moved \gset
INSERT INTO ids SELECT 'a', tuki.ticket_create('ACME', 'Joulun häiriö', 'Tulostin ei toimi.', impact => 2, urgency => 2);
SELECT pg_temp.at('2026-12-23 15:00+02') IS NULL AS moved \gset
INSERT INTO ids SELECT 'b', tuki.ticket_create('ACME', 'Toinen häiriö', 'Ei toimi.', impact => 2, urgency => 2);
SELECT pg_temp.at('2026-12-28 08:30+02') IS NULL AS moved \gset
SELECT tuki.ticket_set_status(pg_temp.t('a'), 'open') IS NULL AS opened \gset
SELECT tuki.ticket_reply(pg_temp.t('a'), 'Katsotaan.') IS NULL AS replied \gset
SELECT pg_temp.at('2026-12-28 09:00+02') IS NULL AS moved \gset
SELECT tuki.ticket_set_priority(pg_temp.t('a'), 1, 2) IS NULL AS raised \gset
SELECT tuki.ticket_set_priority(pg_temp.t('b'), 1, 2) IS NULL AS raised \gset
SELECT pg_temp.at('2026-12-28 10:00+02') IS NULL AS moved \gset
SELECT tuki.ticket_set_status(pg_temp.t('a'), 'waiting_customer') IS NULL AS paused \gset
SELECT pg_temp.at('2026-12-29 12:00+02') IS NULL AS moved \gset
SELECT tuki.ticket_set_status(pg_temp.t('a'), 'open') IS NULL AS resumed \gset
SELECT pg_temp.at('2026-12-29 13:00+02') IS NULL AS moved \gset

-- A, line by line
SELECT is((SELECT count(*)::integer FROM tuki.sla_explain(pg_temp.t('a'))), 17, 'A: 17 lines');
SELECT is(pg_temp.line(pg_temp.t('a'), 1), format('#%s ACME, priority P2 (impact 1, urgency 2), service level standard, status open, as of Tue 2026-12-29 13:00', pg_temp.t('a')),
    'A1: the ticket now: P2 from impact 1 and urgency 2, at Tue 13:00');
SELECT is(pg_temp.line(pg_temp.t('a'), 2), format('contract #%s of ACME (valid 2020-01-01 to open end): service level standard, calendar fi-8-16', (SELECT contract FROM tuki.ticket WHERE id = pg_temp.t('a'))),
    'A2: which contract row: its level and calendar');
SELECT is(pg_temp.line(pg_temp.t('a'), 3), 'calendar fi-8-16 (Finland, Mon-Fri 08-16, Finnish public holidays): open Mon-Fri 08:00-16:00, times in Europe/Helsinki',
    'A3: the calendar''s opening hours and zone');
SELECT is(pg_temp.line(pg_temp.t('a'), 4), 'holidays from 2026-12-23 to 2026-12-30: Thu 2026-12-24 Jouluaatto, Fri 2026-12-25 Joulupäivä, Sat 2026-12-26 Tapaninpäivä',
    'A4: the holidays between creation and the last deadline (Wed 30)');
SELECT is(pg_temp.line(pg_temp.t('a'), 5), 'response: target 480 business minutes from sla_target standard P3 at creation, Wed 2026-12-23 14:00',
    'A5: response target 480 (standard P3)');
SELECT is(pg_temp.line(pg_temp.t('a'), 6), '  runs Wed 2026-12-23 14:00 -> Mon 2026-12-28 08:30 (the first public reply): 150 business minutes',
    'A6: 120 on Wednesday + 30 on Monday = 150; the holidays and the weekend count nothing');
SELECT is(pg_temp.line(pg_temp.t('a'), 7), '  used 150 of 480 business minutes, 330 left: met', 'A7: met with 330 to spare');
SELECT is(pg_temp.line(pg_temp.t('a'), 8), '  due Wed 2026-12-23 14:00 + 480 business minutes = Mon 2026-12-28 14:00 (120 on Wed 2026-12-23, 360 on Mon 2026-12-28)',
    'A8: the response deadline day by day: 120 + 360 = 480 -> Mon 14:00');
SELECT is(pg_temp.line(pg_temp.t('a'), 9), 'resolve: target 2880 business minutes from sla_target standard P3 at creation, Wed 2026-12-23 14:00',
    'A9: resolution target 2880 at creation');
SELECT is(pg_temp.line(pg_temp.t('a'), 10), '  runs Wed 2026-12-23 14:00 -> Mon 2026-12-28 08:30 (new): 150 business minutes', 'A10: 150 while new');
SELECT is(pg_temp.line(pg_temp.t('a'), 11), '  runs Mon 2026-12-28 08:30 -> Mon 2026-12-28 09:00 (open): 30 business minutes', 'A11: 30 while open, up to the priority change');
SELECT is(pg_temp.line(pg_temp.t('a'), 12), '  Mon 2026-12-28 09:00 priority P3 -> P2 (impact 1, urgency 2): target 2880 -> 960 business minutes (sla_target standard P2); the 180 used are kept, 780 left',
    'A12: the priority change: new target 960, the 180 used kept, 780 left');
SELECT is(pg_temp.line(pg_temp.t('a'), 13), '  runs Mon 2026-12-28 09:00 -> Mon 2026-12-28 10:00 (open): 60 business minutes', 'A13: 60 more until the pause');
SELECT is(pg_temp.line(pg_temp.t('a'), 14), '  paused Mon 2026-12-28 10:00 -> Tue 2026-12-29 12:00: waiting_customer (waiting for the customer); 600 business minutes not counted',
    'A14: the pause and its reason: 360 on Monday + 240 on Tuesday not counted');
SELECT is(pg_temp.line(pg_temp.t('a'), 15), '  runs Tue 2026-12-29 12:00 -> now (open): 60 business minutes', 'A15: 60 since it resumed');
SELECT is(pg_temp.line(pg_temp.t('a'), 16), '  used 300 of 960 business minutes, 660 left: ok', 'A16: 150 + 30 + 60 + 60 = 300 used, 660 left');
SELECT is(pg_temp.line(pg_temp.t('a'), 17), '  due Tue 2026-12-29 12:00 + (960 - 240 used before) 720 business minutes = Wed 2026-12-30 16:00 (240 on Tue 2026-12-29, 480 on Wed 2026-12-30)',
    'A17: the resolution deadline: 720 left from Tue 12:00 = 240 + 480 -> Wed 16:00, the closing time');
SELECT is((SELECT resolve_due FROM tuki.ticket WHERE id = pg_temp.t('a')), '2026-12-30 16:00+02'::timestamptz,
    'A: the explanation''s deadline is the stored one');
SELECT is((SELECT string_agg(clock, ',' ORDER BY n) FROM (SELECT DISTINCT ON (coalesce(clock, '')) n, clock FROM tuki.sla_explain(pg_temp.t('a')) ORDER BY coalesce(clock, ''), n) x),
    'response,resolve', 'A: the ticket''s lines first (clock null), then response, then resolve');

-- B: the priority change before the first reply moves the response deadline
SELECT is(pg_temp.line(pg_temp.t('b'), 5), 'response: target 480 business minutes from sla_target standard P3 at creation, Wed 2026-12-23 15:00',
    'B5: response target 480 at creation');
SELECT is(pg_temp.line(pg_temp.t('b'), 6), '  runs Wed 2026-12-23 15:00 -> Mon 2026-12-28 09:00: 120 business minutes', 'B6: 60 + 60 until the change');
SELECT is(pg_temp.line(pg_temp.t('b'), 7), '  Mon 2026-12-28 09:00 priority P3 -> P2 (impact 1, urgency 2): target 480 -> 120 business minutes (sla_target standard P2); the 120 used are kept, 0 left',
    'B7: the change to P2: target 120, the 120 used kept, nothing left');
SELECT is(pg_temp.line(pg_temp.t('b'), 8), '  runs Mon 2026-12-28 09:00 -> now: 720 business minutes', 'B8: 420 on Monday + 300 on Tuesday since');
SELECT is(pg_temp.line(pg_temp.t('b'), 9), '  used 840 of 120 business minutes, -720 left: breached', 'B9: 840 used, 720 over: breached');
SELECT is(pg_temp.line(pg_temp.t('b'), 10), '  due Wed 2026-12-23 15:00 + 120 business minutes = Mon 2026-12-28 09:00 (60 on Wed 2026-12-23, 60 on Mon 2026-12-28)',
    'B10: why 09:00 and not 14:00: 120 business minutes from Wednesday 15:00');

-- who may ask, and about what
SELECT is(split_part(pg_temp.err_as('tx_agent', $$SELECT * FROM tuki.sla_explain(999999)$$), '|', 1), 'TK006', 'an unknown ticket is TK006');
-- (an agent cannot move the clock: as of the real now, which has fewer stretches)
SELECT is(pg_temp.val_as('tx_agent', format('SELECT line FROM tuki.sla_explain(%s) WHERE n = 3', pg_temp.t('a'))),
    pg_temp.line(pg_temp.t('a'), 3), 'agents may ask');
SELECT is(pg_temp.run_as('tx_cust', format('SELECT count(*) FROM tuki.sla_explain(%s)', pg_temp.t('a'))), '42501', 'customers may not');
SELECT ok(NOT has_function_privilege('tuki_customer', 'tuki.sla_explain(bigint)', 'EXECUTE'), 'no EXECUTE for tuki_customer');

SELECT * FROM finish();
ROLLBACK;
