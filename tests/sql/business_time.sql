-- Business time, cases computed by hand. Helsinki is UTC+2 in winter (EET) and
-- UTC+3 in summer (EEST); clocks change on the last Sunday of March (03:00 -> 04:00)
-- and of October (04:00 -> 03:00). Literals carry their offset, so the answers do not
-- depend on the session zone; a zone far away makes sure of that.
BEGIN;
SELECT plan(54);
SET LOCAL timezone = 'America/New_York';

-- Test calendars: a lunch break, an overnight shift, a Sunday night, a Helsinki 24x7, nothing.
INSERT INTO tuki.calendar (code, tz, name) VALUES
    ('t-lunch', 'Europe/Helsinki', 'test: Mon-Fri 08:00-11:30 and 12:00-16:00'),
    ('t-night', 'Europe/Helsinki', 'test: Mon-Fri 22:00-06:00 next morning'),
    ('t-sunnight', 'Europe/Helsinki', 'test: Sunday 00:00-06:00'),
    ('t-hel247', 'Europe/Helsinki', 'test: always open, Helsinki days'),
    ('t-never', 'Europe/Helsinki', 'test: no hours at all');
INSERT INTO tuki.calendar_hours (calendar, isodow, opens, closes)
SELECT 't-lunch', d, time '08:00', time '11:30' FROM generate_series(1, 5) d
UNION ALL SELECT 't-lunch', d, '12:00', '16:00' FROM generate_series(1, 5) d
UNION ALL SELECT 't-night', d, '22:00', '06:00' FROM generate_series(1, 5) d
UNION ALL SELECT 't-sunnight', 7, '00:00', '06:00'
UNION ALL SELECT 't-hel247', d, '00:00', '00:00' FROM generate_series(1, 7) d;

-- Holidays: computed dates.
SELECT is(tuki.easter_sunday(2008), date '2008-03-23', 'Easter 2008 is 23 March (early year)');
SELECT is(tuki.easter_sunday(2024), date '2024-03-31', 'Easter 2024 is 31 March');
SELECT is(tuki.easter_sunday(2026), date '2026-04-05', 'Easter 2026 is 5 April');
SELECT is(tuki.easter_sunday(2038), date '2038-04-25', 'Easter 2038 is 25 April, the latest possible date');
SELECT is((SELECT day FROM tuki.holiday WHERE calendar = 'fi-8-16' AND name = 'Juhannusaatto' AND extract(year FROM day) = 2026),
          date '2026-06-19', 'Midsummer Eve 2026: 19 June is itself a Friday');
SELECT is((SELECT day FROM tuki.holiday WHERE calendar = 'fi-8-16' AND name = 'Juhannusaatto' AND extract(year FROM day) = 2027),
          date '2027-06-25', 'Midsummer Eve 2027: 19 June is a Saturday, so the Friday is 25 June');
SELECT is((SELECT day FROM tuki.holiday WHERE calendar = 'fi-8-16' AND name = 'Helatorstai' AND extract(year FROM day) = 2026),
          date '2026-05-14', 'Ascension 2026 is Easter (5 April) + 39 days = Thursday 14 May');
SELECT is((SELECT count(*)::int FROM tuki.holiday WHERE calendar = 'sk-8-17' AND day = '2025-11-17'), 0,
          'Slovakia: 17 November is no longer a day off from 2025');
SELECT is((SELECT count(*)::int FROM tuki.holiday WHERE calendar = 'sk-8-17' AND day IN ('2026-04-03', '2026-04-06', '2026-09-15')), 3,
          'Slovakia 2026: Good Friday, Easter Monday and 15 September are days off');

-- The classic: Friday 15:30 has 30 minutes left until 16:00; the other 30 run from Monday 08:00.
SELECT is(tuki.business_add('fi-8-16', '2026-11-20 15:30+02', 60), '2026-11-23 08:30+02'::timestamptz,
          'fi-8-16: Friday 15:30 + 60 min = Monday 08:30');
SELECT is(tuki.business_minutes('fi-8-16', '2026-11-20 15:30+02', '2026-11-23 08:30+02'), 60::numeric,
          'fi-8-16: Friday 15:30 to Monday 08:30 is 60 business minutes');
-- Saturday is closed: time before the Monday opening does not count.
SELECT is(tuki.business_add('fi-8-16', '2026-11-21 10:00+02', 30), '2026-11-23 08:30+02'::timestamptz,
          'fi-8-16: Saturday 10:00 + 30 min = Monday 08:30');
SELECT is(tuki.business_minutes('fi-8-16', '2026-11-21 10:00+02', '2026-11-23 08:00+02'), 0::numeric,
          'fi-8-16: Saturday to the Monday opening is 0 minutes');
-- Zero minutes is the start itself, even while closed (earliest T >= t with 0 minutes).
SELECT is(tuki.business_add('fi-8-16', '2026-11-21 10:00+02', 0), '2026-11-21 10:00+02'::timestamptz,
          'fi-8-16: Saturday 10:00 + 0 = Saturday 10:00');
-- Exact fit: the budget ends at closing, so the answer is the closing time, not next morning.
SELECT is(tuki.business_add('fi-8-16', '2026-11-23 15:00+02', 60), '2026-11-23 16:00+02'::timestamptz,
          'fi-8-16: Monday 15:00 + 60 min = Monday 16:00 (exact fit at closing)');
SELECT is(tuki.business_add('fi-8-16', '2026-11-23 08:00+02', 480), '2026-11-23 16:00+02'::timestamptz,
          'fi-8-16: a full day of 480 min from 08:00 ends at 16:00 the same day');
SELECT is(tuki.business_add('fi-8-16', '2026-11-23 08:00+02', 481), '2026-11-24 08:01+02'::timestamptz,
          'fi-8-16: one minute more spills to Tuesday 08:01');
SELECT is(tuki.business_add('fi-9-17', '2026-11-23 08:00+02', 60), '2026-11-23 10:00+02'::timestamptz,
          'fi-9-17: 08:00 is before opening, so + 60 min = 10:00');
SELECT is(tuki.business_add('sk-8-17', '2026-11-23 16:30+01', 60), '2026-11-24 08:30+01'::timestamptz,
          'sk-8-17: Bratislava is UTC+1; Monday 16:30 + 60 = Tuesday 08:30');

-- Easter 2026: Good Friday 3 April and Easter Monday 6 April are closed.
-- Thursday 2 April 15:00 (EEST, +03) has 60 min left; the next open day is Tuesday 7 April.
SELECT is(tuki.business_add('fi-8-16', '2026-04-02 15:00+03', 120), '2026-04-07 09:00+03'::timestamptz,
          'fi-8-16: Thursday before Easter 15:00 + 120 min = Tuesday after Easter 09:00');
SELECT is(tuki.business_minutes('fi-8-16', '2026-04-02 16:00+03', '2026-04-07 08:00+03'), 0::numeric,
          'fi-8-16: Thursday 16:00 to Tuesday 08:00 over Easter is 0 minutes');
-- Thursday 08-16 and Tuesday 08-16: two days of 480.
SELECT is(tuki.business_minutes('fi-8-16', '2026-04-02 08:00+03', '2026-04-07 16:00+03'), 960::numeric,
          'fi-8-16: Thursday before Easter to Tuesday after is two working days (960)');
-- The Tuesday after Easter is an ordinary day.
SELECT is(tuki.business_add('fi-8-16', '2026-04-07 08:00+03', 480), '2026-04-07 16:00+03'::timestamptz,
          'fi-8-16: the Tuesday after Easter is a full 480-minute day');
-- Midsummer Eve 2026 is Friday 19 June: Thursday 15:00 + 120 = 60 Thursday + 60 on Monday 22 June.
SELECT is(tuki.business_add('fi-8-16', '2026-06-18 15:00+03', 120), '2026-06-22 09:00+03'::timestamptz,
          'fi-8-16: Thursday before Midsummer Eve 15:00 + 120 min = Monday 09:00');
SELECT is(tuki.business_minutes('fi-8-16', '2026-06-19 00:00+03', '2026-06-20 00:00+03'), 0::numeric,
          'fi-8-16: Midsummer Eve is closed all day');

-- DST. Spring 2026: Sunday 29 March, 03:00 EET -> 04:00 EEST. Friday 27 March 15:00 (+02)
-- has 60 left; Monday 30 March 08:00 is +03, so the answer is 09:00+03 = 06:00 UTC.
SELECT is(tuki.business_add('fi-8-16', '2026-03-27 15:00+02', 120), '2026-03-30 06:00+00'::timestamptz,
          'fi-8-16: Friday before spring DST 15:00 + 120 = Monday 09:00 EEST');
-- Sunday night 00:00-06:00 local on the spring night is 5 real hours (03:00-04:00 never happens).
SELECT is(tuki.business_minutes('t-sunnight', '2026-03-28 12:00+02', '2026-03-29 12:00+03'), 300::numeric,
          'Sunday 00-06 on the spring-forward night is 300 minutes');
-- ... and on the autumn night (25 October 2026) 7 real hours (03:00-04:00 happens twice).
SELECT is(tuki.business_minutes('t-sunnight', '2026-10-24 12:00+03', '2026-10-25 12:00+02'), 420::numeric,
          'Sunday 00-06 on the fall-back night is 420 minutes');
-- 360 minutes from the spring Sunday 00:00 (+02): 5 hours that night, the 6th next Sunday 00:00-01:00 (+03).
SELECT is(tuki.business_add('t-sunnight', '2026-03-29 00:00+02', 360), '2026-04-05 01:00+03'::timestamptz,
          'Sunday night calendar: 360 min from the spring night overflows one hour into the next Sunday');
-- An always-open Helsinki calendar: the spring Sunday has 23 hours, so 24 h from its midnight is Monday 01:00.
SELECT is(tuki.business_add('t-hel247', '2026-03-29 00:00+02', 1440), '2026-03-30 01:00+03'::timestamptz,
          'Helsinki 24x7: 1440 min from the spring-forward midnight ends Monday 01:00 local');
SELECT is(tuki.business_minutes('t-hel247', '2026-10-25 00:00+03', '2026-10-26 00:00+02'), 1500::numeric,
          'Helsinki 24x7: the fall-back Sunday is 25 hours long');

-- Lunch break: 08:00-11:30 and 12:00-16:00.
SELECT is(tuki.business_add('t-lunch', '2026-11-23 11:00+02', 60), '2026-11-23 12:30+02'::timestamptz,
          'lunch calendar: 11:00 + 60 = 30 before lunch + 30 after = 12:30');
SELECT is(tuki.business_add('t-lunch', '2026-11-23 11:00+02', 30), '2026-11-23 11:30+02'::timestamptz,
          'lunch calendar: exact fit at the start of lunch returns 11:30, not 12:00');
SELECT is(tuki.business_minutes('t-lunch', '2026-11-23 10:00+02', '2026-11-23 13:00+02'), 150::numeric,
          'lunch calendar: 10:00-13:00 is 90 + 60 = 150 minutes');
SELECT is(tuki.business_minutes('t-lunch', '2026-11-23 00:00+02', '2026-11-24 00:00+02'), 450::numeric,
          'lunch calendar: a whole day is 210 + 240 = 450 minutes');

-- Overnight shift Mon-Fri 22:00-06:00: the Friday shift runs into Saturday morning.
SELECT is(tuki.business_add('t-night', '2026-11-20 23:00+02', 240), '2026-11-21 03:00+02'::timestamptz,
          'night shift: Friday 23:00 + 240 = Saturday 03:00');
-- Saturday 05:00: one hour to 06:00, then nothing until Monday 22:00 (no Saturday or Sunday rows).
SELECT is(tuki.business_add('t-night', '2026-11-21 05:00+02', 120), '2026-11-23 23:00+02'::timestamptz,
          'night shift: Saturday 05:00 + 120 = Monday 23:00');
SELECT is(tuki.business_minutes('t-night', '2026-11-23 12:00+02', '2026-11-24 12:00+02'), 480::numeric,
          'night shift: noon to noon holds one 8-hour shift');

-- Two-year span. 24x7: 2024 (leap, 366 days) + 2025 (365 days) = 731 days = 1,052,640 minutes.
SELECT is(tuki.business_minutes('24x7', '2024-01-01 00:00+00', '2026-01-01 00:00+00'), 1052640::numeric,
          '24x7: 2024 and 2025 together are 731 x 1440 minutes');
-- fi-8-16: 2025 has 261 weekdays, 10 weekday holidays (1.1, 6.1, 18.4, 21.4, 1.5, 29.5, 20.6, 24-26.12) -> 251;
-- 2026 has 261 weekdays, 9 weekday holidays (1.1, 6.1, 3.4, 6.4, 1.5, 14.5, 19.6, 24.12, 25.12) -> 252.
-- 503 days x 480 = 241,440 minutes; the last one ends Thursday 31 December 2026 at 16:00.
SELECT is(tuki.business_minutes('fi-8-16', '2025-01-01 00:00+02', '2027-01-01 00:00+02'), 241440::numeric,
          'fi-8-16: 2025-2026 is 503 working days = 241440 minutes');
SELECT is(tuki.business_add('fi-8-16', '2025-01-01 00:00+02', 241440), '2026-12-31 16:00+02'::timestamptz,
          'fi-8-16: 241440 minutes from New Year 2025 end at closing on 31 December 2026');

-- Fractions: exact to the second.
SELECT is(tuki.business_minutes('fi-8-16', '2026-11-23 08:00:00+02', '2026-11-23 08:01:30+02'), 1.5,
          'business_minutes: 90 seconds is 1.5 minutes');

-- Holidays maintained incrementally: a new holiday on Monday 23 November moves the answer to Tuesday.
INSERT INTO tuki.holiday (calendar, day, name) VALUES ('fi-8-16', '2026-11-23', 'test closure');
SELECT is(tuki.business_add('fi-8-16', '2026-11-20 15:30+02', 60), '2026-11-24 08:30+02'::timestamptz,
          'after adding a Monday holiday: Friday 15:30 + 60 = Tuesday 08:30');
DELETE FROM tuki.holiday WHERE calendar = 'fi-8-16' AND day = '2026-11-23';
SELECT is(tuki.business_add('fi-8-16', '2026-11-20 15:30+02', 60), '2026-11-23 08:30+02'::timestamptz,
          'after removing it again: Monday 08:30');
UPDATE tuki.calendar_hours SET closes = '17:00' WHERE calendar = 't-lunch';
SELECT is(tuki.business_add('t-lunch', '2026-11-23 15:30+02', 60), '2026-11-23 16:30+02'::timestamptz,
          'changed hours take effect at once (lunch calendar now closes at 17:00)');

-- The open time is keyed by the calendar's number, not its code: a renamed calendar keeps its
-- answers (the lunch calendar, now closing at 17:00, as just above), the old code is unknown,
-- and a deleted calendar takes its open time and horizon with it.
UPDATE tuki.calendar SET code = 't-lunch2' WHERE code = 't-lunch';
SELECT is(tuki.business_add('t-lunch2', '2026-11-23 15:30+02', 60), '2026-11-23 16:30+02'::timestamptz,
          'a renamed calendar gives the same answers under its new code');
SELECT throws_ok($$ SELECT tuki.business_add('t-lunch', now(), 1) $$, 'TK101', NULL, '... and its old code is unknown (TK101)');
CREATE TEMP TABLE gone AS SELECT id FROM tuki.calendar WHERE code = 't-lunch2';
DELETE FROM tuki.calendar WHERE code = 't-lunch2';
SELECT is((SELECT count(*)::int FROM tuki.calendar_open o JOIN gone g ON g.id = o.calendar_id)
          + (SELECT count(*)::int FROM tuki.calendar_horizon WHERE calendar = 't-lunch2'), 0,
          'a deleted calendar leaves no open intervals and no horizon behind');

-- Errors.
SELECT throws_ok($$ SELECT tuki.business_add('nope', now(), 1) $$, 'TK101', NULL, 'unknown calendar: TK101');
SELECT throws_ok($$ SELECT tuki.business_add('fi-8-16', '2026-11-23 08:00+02', -1) $$, 'TK102', NULL, 'negative minutes: TK102');
SELECT throws_ok($$ SELECT tuki.business_minutes('fi-8-16', '2026-11-23 08:00+02', '2026-11-22 08:00+02') $$, 'TK103', NULL, 'to_ts before from_ts: TK103');
SELECT throws_ok($$ SELECT tuki.business_add('t-never', '2026-11-23 08:00+02', 1) $$, 'TK104', NULL, 'a calendar with no open hours: TK104, not an endless loop');
SELECT throws_ok($$ SELECT tuki.business_add('fi-8-16', '2050-01-01 00:00+02', 1) $$, 'TK105', NULL, 'outside the horizon: TK105');
SELECT throws_ok($$ INSERT INTO tuki.calendar VALUES ('t-mars', 'Mars/Olympus_Mons', 'x') $$, 'TK106', NULL, 'an unknown time zone is refused: TK106');

SELECT * FROM finish();
ROLLBACK;
