-- The invoice month: May 2026 of KOSICE, a customer in Košice on the 24x7 calendar (whose zone is
-- UTC) with its own time_zone Europe/Bratislava (UTC+2 in May), worked out by hand. Its contract
-- is standard with a 120-minute quota and a temporary premium raise 11 May .. 5 June. On 24x7
-- every minute is a business minute, so the SLA times below are wall-clock minutes.
-- Targets (response / resolution): standard P3 480 / 2880; premium P1 30 / 240, P2 60 / 480,
-- P5 960 / 4800. All times are Bratislava's.
BEGIN;
SELECT plan(28);

CREATE TEMP TABLE ids (name text PRIMARY KEY, id bigint NOT NULL);
CREATE FUNCTION pg_temp.t(n text) RETURNS bigint LANGUAGE sql AS $$ SELECT id FROM ids WHERE name = n $$;
CREATE FUNCTION pg_temp.at(ts text, who text DEFAULT 'tt_anna') RETURNS void LANGUAGE sql AS $$
    SELECT set_config('tuki.now', ts, true), set_config('tuki.actor', who, true);
$$;
CREATE FUNCTION pg_temp.new(n text, ts text, subject text, type text, impact int, urgency int, email text) RETURNS void
    LANGUAGE sql AS $$
    SELECT pg_temp.at(ts);
    INSERT INTO ids SELECT n, tuki.ticket_create('KOSICE', subject, 'Prosím o pomoc', type, impact, urgency, email);
$$;
CREATE FUNCTION pg_temp.reply(n text, ts text) RETURNS void LANGUAGE sql AS $$
    SELECT pg_temp.at(ts);
    SELECT tuki.ticket_reply(pg_temp.t(n), 'Pozeráme sa na to');
$$;
CREATE FUNCTION pg_temp.resolve(n text, ts text) RETURNS void LANGUAGE sql AS $$
    SELECT pg_temp.at(ts);
    SELECT tuki.ticket_set_status(pg_temp.t(n), 'resolved', 'Opravené');
$$;
CREATE FUNCTION pg_temp.work(n text, ts text, who text, minutes int, billable boolean) RETURNS void LANGUAGE sql AS $$
    SELECT pg_temp.at(ts, who);
    SELECT tuki.worklog_add(pg_temp.t(n), minutes, billable);
$$;
-- the SQLSTATE and message of q, or 'ok'
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ' ' || SQLERRM;
END $$;

CREATE ROLE tt_anna LOGIN;
CREATE ROLE tt_jan LOGIN;
CREATE ROLE tt_ivana LOGIN IN ROLE tuki_customer;
SELECT tuki.agent_add('tt_anna', 'Anna Nováková', 'second_line');
SELECT tuki.agent_add('tt_jan', 'Ján Kráľ', 'second_line');
INSERT INTO tuki.customer (code, name, time_zone) VALUES ('KOSICE', 'Košická teplárenská a.s.', 'Europe/Bratislava');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from, quota_minutes, raise_level, raise_from, raise_to)
VALUES ('KOSICE', 'standard', '24x7', '2026-01-01', 120, 'premium', '2026-05-11', '2026-06-05');
INSERT INTO tuki.contact (customer, name, email, may_order_billable, login) VALUES
    ('KOSICE', 'Ivana Horváthová', 'ivana@teplo.sk', true, 'tt_ivana'),
    ('KOSICE', 'Tomáš Ťažký', 'tomas@teplo.sk', false, NULL);

-- a: Fri 1 May 00:30 (30 April 22:30 UTC: April in UTC, May in Košice), before the raise:
--    standard P3; reply 01:00 (30, met); resolved Sat 2 May 12:30 (36 h = 2160 <= 2880, met)
SELECT pg_temp.new('a', '2026-05-01 00:30+02', 'Kotolňa hlási poruchu', 'incident', 2, 2, 'tomas@teplo.sk');
SELECT pg_temp.reply('a', '2026-05-01 01:00+02');
SELECT pg_temp.resolve('a', '2026-05-02 12:30+02');
-- b: Mon 11 May 10:00, the raise's first day: premium P1; reply 10:10 (10, met);
--    resolved 15:00 (300 > 240, missed)
SELECT pg_temp.new('b', '2026-05-11 10:00+02', 'Výpadok merania', 'incident', 1, 1, 'ivana@teplo.sk');
SELECT pg_temp.reply('b', '2026-05-11 10:10+02');
SELECT pg_temp.resolve('b', '2026-05-11 15:00+02');
-- d: Fri 15 May 08:00, premium P2 change; reply 09:30 (90 > 60, missed); resolved 17:00 (540 > 480, missed)
SELECT pg_temp.new('d', '2026-05-15 08:00+02', 'Nový export do SAP', 'change', 1, 2, 'ivana@teplo.sk');
SELECT pg_temp.reply('d', '2026-05-15 09:30+02');
SELECT pg_temp.resolve('d', '2026-05-15 17:00+02');
-- c: Sun 31 May 23:30, premium P5 question; reply Mon 1 June 00:10 (40 minutes, June's)
SELECT pg_temp.new('c', '2026-05-31 23:30+02', 'Otázka k faktúre', 'question', 3, 3, 'ivana@teplo.sk');
SELECT pg_temp.reply('c', '2026-06-01 00:10+02');

-- Work in May, in the order logged; the quota (120) is used by non-billable work in that order:
--   1  4 May 09:00 a Anna  50  included 50              (quota used  50)
--   2 11 May 11:00 b Ján   45  included 45              (quota used  95)
--   3 12 May 09:00 b Anna  60  ordered by Ivana: billable 60
--   4 20 May 14:00 a Ján   40  included 25, billable 15 (quota used 120)
--   5 25 May 10:00 a Anna  35  logged non-billable, approved by Ivana on 26 May: billable 35
--   6 31 May 23:50 c Anna  30  billable 30 (21:50 UTC)
-- and 1 June 00:20 (31 May 22:20 UTC) c Ján 20: June's, included.
-- May: logged 260 = 95 ordered + 165 maintenance; quota used 120, beyond it 45 (15 + 30);
-- billable 95 + 45 = 140; lines: included 50 + 45 + 25 = 120, billable 60 + 15 + 35 + 30 = 140.
SELECT pg_temp.work('a', '2026-05-04 09:00+02', 'tt_anna', 50, false);
SELECT pg_temp.work('b', '2026-05-11 11:00+02', 'tt_jan', 45, false);
SELECT pg_temp.work('b', '2026-05-12 09:00+02', 'tt_anna', 60, true);
SELECT pg_temp.work('a', '2026-05-20 14:00+02', 'tt_jan', 40, false);
SELECT pg_temp.work('a', '2026-05-25 10:00+02', 'tt_anna', 35, false);
SELECT pg_temp.work('c', '2026-05-31 23:50+02', 'tt_anna', 30, false);
SELECT pg_temp.work('c', '2026-06-01 00:20+02', 'tt_jan', 20, false);

-- approving: a's own contact Tomáš may not order billable work; Ivana may
SELECT pg_temp.at('2026-05-26 08:00+02');
SELECT is(pg_temp.err(format('SELECT tuki.worklog_approve(%s, %L)', (SELECT max(id) FILTER (WHERE minutes = 35) FROM tuki.worklog), 'tomas@teplo.sk')),
    'TK004 billable work on ticket #' || pg_temp.t('a') || ' needs a contact who may order it', 'Tomáš may not approve billable work (TK004)');
SELECT is(pg_temp.err(format('SELECT tuki.worklog_approve(%s, %L)', (SELECT max(id) FILTER (WHERE minutes = 35) FROM tuki.worklog), 'nobody@teplo.sk')),
    'TK004 billable work on ticket #' || pg_temp.t('a') || ' needs a contact who may order it', 'nor someone who is no contact');
SELECT is(pg_temp.err(format('SELECT tuki.worklog_approve(%s, %L)', (SELECT max(id) FILTER (WHERE minutes = 35) FROM tuki.worklog), 'IVANA@teplo.sk')),
    'ok', 'Ivana approves entry 5 (the address case-insensitively)');
SELECT is(pg_temp.err(format('SELECT tuki.worklog_approve(%s, %L)', (SELECT max(id) FILTER (WHERE minutes = 35) FROM tuki.worklog), 'ivana@teplo.sk')),
    'TK006 worklog entry ' || (SELECT max(id) FILTER (WHERE minutes = 35) FROM tuki.worklog) || ' is already billable', 'approving twice: TK006');
SELECT is(pg_temp.err('SELECT tuki.worklog_approve(999999, ''ivana@teplo.sk'')'), 'TK006 no worklog entry 999999', 'an unknown entry: TK006');
SELECT is((SELECT detail->>'contact' FROM tuki.ticket_event WHERE kind = 'worklog_approved'),
    (SELECT id::text FROM tuki.contact WHERE email = 'ivana@teplo.sk'), 'the approval is in the history, naming Ivana');
-- a contact approving through its own login: tests/sql/portal.sql

SELECT pg_temp.at('2026-06-10 12:00+02');
CREATE TEMP TABLE may AS SELECT * FROM tuki.monthly_report WHERE customer = 'KOSICE' AND month = '2026-05-01';
SELECT results_eq('SELECT service_level, calendar, time_zone FROM may', $$ VALUES ('standard', '24x7', 'Europe/Bratislava') $$,
    'the month runs in the customer''s zone, not the 24x7 calendar''s UTC');
SELECT is((SELECT service_levels FROM may),
    '[{"from": "2026-05-01", "to": "2026-05-10", "level": "standard", "raised": false},
      {"from": "2026-05-11", "to": "2026-05-31", "level": "premium", "raised": true}]'::jsonb,
    'service level day by day: standard 1-10 May, premium (raised) 11-31 May');
SELECT is((SELECT raises FROM may), '[{"level": "premium", "from": "2026-05-11", "to": "2026-06-05"}]'::jsonb,
    'the raise with its own dates, into June');
SELECT results_eq('SELECT created, p1, p2, p3, p4, p5, resolved FROM may', $$ VALUES (4, 1, 1, 1, 0, 1, 3) $$,
    'created a b c d (a at 00:30 on 1 May is May''s): P1 b, P2 d, P3 a, P5 c; resolved a b d');
SELECT is((SELECT by_type FROM may),
    '{"incident": 2, "change": 1, "question": 1, "service_request": 0, "bug": 0, "problem": 0}'::jsonb, 'by type');
SELECT results_eq('SELECT response_met, response_missed, response_compliance, response_median_minutes, response_avg_minutes FROM may',
    $$ VALUES (2, 1, 66.7, 30.0, 43.3) $$, 'response 30 10 met, 90 missed: 66.7 %, median 30, average 130 / 3 = 43.3');
SELECT results_eq('SELECT resolve_met, resolve_missed, resolve_compliance, resolve_median_minutes, resolve_avg_minutes FROM may',
    $$ VALUES (1, 2, 33.3, 540.0, 1000.0) $$, 'resolution 2160 met, 300 540 missed: 33.3 %, median 540, average 3000 / 3 = 1000');
SELECT results_eq('SELECT worklog_minutes, ordered_billable_minutes, quota_minutes, quota_used_minutes, over_quota_minutes, billable_minutes FROM may',
    $$ VALUES (260, 95, 120, 120, 45, 140) $$, 'work 260: 95 ordered, quota 120 used, 45 beyond it, 140 billable');

-- the lines, one per entry, in the order logged
SELECT results_eq($$ SELECT day, t.name, subject, agent_name, minutes, ordered, included_minutes, billable_minutes, approved_by_name
                       FROM tuki.monthly_report_line l JOIN ids t ON t.id = l.ticket
                      WHERE customer = 'KOSICE' AND month = '2026-05-01' ORDER BY at, worklog $$,
    $$ VALUES ('2026-05-04'::date, 'a', 'Kotolňa hlási poruchu', 'Anna Nováková', 50, false, 50, 0, NULL::text),
              ('2026-05-11', 'b', 'Výpadok merania', 'Ján Kráľ', 45, false, 45, 0, NULL),
              ('2026-05-12', 'b', 'Výpadok merania', 'Anna Nováková', 60, true, 0, 60, 'Ivana Horváthová'),
              ('2026-05-20', 'a', 'Kotolňa hlási poruchu', 'Ján Kráľ', 40, false, 25, 15, NULL),
              ('2026-05-25', 'a', 'Kotolňa hlási poruchu', 'Anna Nováková', 35, true, 0, 35, 'Ivana Horváthová'),
              ('2026-05-31', 'c', 'Otázka k faktúre', 'Anna Nováková', 30, false, 0, 30, NULL) $$,
    'six lines: the entry crossing the quota split 25 + 15, ordered and approved work named with its contact');
SELECT results_eq($$ SELECT sum(minutes)::int, sum(minutes) FILTER (WHERE ordered)::int, sum(included_minutes)::int,
                            sum(billable_minutes) FILTER (WHERE NOT ordered)::int, sum(billable_minutes)::int
                       FROM tuki.monthly_report_line WHERE customer = 'KOSICE' AND month = '2026-05-01' $$,
    $$ SELECT worklog_minutes, ordered_billable_minutes, quota_used_minutes, over_quota_minutes, billable_minutes FROM may $$,
    'the lines add up to the summary exactly');
SELECT results_eq($$ SELECT l.customer, l.month, sum(l.minutes)::int, sum(l.included_minutes)::int, sum(l.billable_minutes)::int
                       FROM tuki.monthly_report_line l GROUP BY 1, 2 ORDER BY 1, 2 $$,
    $$ SELECT customer, month, worklog_minutes, quota_used_minutes, billable_minutes FROM tuki.monthly_report
        WHERE worklog_minutes > 0 ORDER BY 1, 2 $$,
    'and so does every month''s');

-- June: the raise ends on 5 June; c's reply and the 20 minutes just after midnight are June's
CREATE TEMP TABLE june AS SELECT * FROM tuki.monthly_report WHERE customer = 'KOSICE' AND month = '2026-06-01';
SELECT is((SELECT service_levels FROM june),
    '[{"from": "2026-06-01", "to": "2026-06-05", "level": "premium", "raised": true},
      {"from": "2026-06-06", "to": "2026-06-30", "level": "standard", "raised": false}]'::jsonb, 'June: premium to the 5th, then standard');
SELECT results_eq('SELECT created, response_met, response_median_minutes, worklog_minutes, quota_used_minutes, billable_minutes FROM june',
    $$ VALUES (0, 1, 40.0, 20, 20, 0) $$, 'June: c answered in 40 minutes, 20 minutes of work within the quota');
SELECT is((SELECT raises FROM tuki.monthly_report WHERE customer = 'KOSICE' AND month = '2026-04-01'), '[]'::jsonb, 'April: no raise');
SELECT is((SELECT service_levels FROM tuki.monthly_report WHERE customer = 'KOSICE' AND month = '2026-04-01'),
    '[{"from": "2026-04-01", "to": "2026-04-30", "level": "standard", "raised": false}]'::jsonb, 'April: standard every day');

-- without its own zone the customer's month is the calendar's, UTC: a (30 April 22:30 UTC) is
-- April's and the 20 minutes at 31 May 22:20 UTC are May's
SAVEPOINT utc;
UPDATE tuki.customer SET time_zone = NULL WHERE code = 'KOSICE';
SELECT results_eq($$ SELECT time_zone, created, worklog_minutes, billable_minutes FROM tuki.monthly_report
                      WHERE customer = 'KOSICE' AND month = '2026-05-01' $$,
    $$ VALUES ('UTC', 3, 280, 160) $$, 'time_zone null: the calendar''s UTC month (3 created, 280 logged, 140 + 20 billable)');
ROLLBACK TO SAVEPOINT utc;
SELECT is(pg_temp.err($$UPDATE tuki.customer SET time_zone = 'Europe/Kosice' WHERE code = 'KOSICE'$$),
    'TK106 unknown time zone ''Europe/Kosice'' for customer KOSICE', 'an unknown zone is refused (TK106)');

-- a contact reads its own lines with the agents' names, never the work notes
CREATE FUNCTION pg_temp.val_as(who text, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE v text;
BEGIN
    EXECUTE format('SET LOCAL ROLE %I', who);
    EXECUTE q INTO v;
    RESET ROLE;
    RETURN v;
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;
SELECT is(pg_temp.val_as('tt_ivana', $$SELECT string_agg(agent_name || ' ' || minutes || ' ' || billable_minutes, ', ' ORDER BY at, worklog)
                                         FROM tuki.monthly_report_line WHERE month = '2026-05-01'$$),
    'Anna Nováková 50 0, Ján Kráľ 45 0, Anna Nováková 60 60, Ján Kráľ 40 15, Anna Nováková 35 35, Anna Nováková 30 30',
    'Ivana reads KOSICE''s lines with the agents'' names');
SELECT is(pg_temp.val_as('tt_ivana', $$SELECT billable_minutes FROM tuki.monthly_report WHERE month = '2026-05-01'$$), '140',
    'and the same summary');
SELECT is(pg_temp.val_as('tt_ivana', 'SELECT note FROM tuki.worklog LIMIT 1'), '42501', 'but not the work notes');

-- the catalogue: every column of the lines is commented, and one month is index look-ups
SELECT is((SELECT string_agg(a.attname, ', ') FROM pg_attribute a
            WHERE a.attrelid = 'tuki.monthly_report_line'::regclass AND a.attnum > 0
              AND col_description(a.attrelid, a.attnum) IS NULL), NULL, 'every column of tuki.monthly_report_line is commented');
SET LOCAL enable_seqscan = off;
CREATE FUNCTION pg_temp.plan(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text; result text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN ' || q LOOP
        result := result || line || E'\n';
    END LOOP;
    RETURN result;
END $$;
SELECT unalike(pg_temp.plan($$SELECT * FROM tuki.monthly_report_line WHERE customer = 'KOSICE' AND month = '2026-05-01'$$),
    '%Seq Scan on worklog %', 'one customer''s month of lines: no sequential scan of tuki.worklog');
RESET enable_seqscan;

SELECT * FROM finish();
ROLLBACK;
