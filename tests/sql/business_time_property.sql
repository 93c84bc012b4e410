-- Property test: business_add and business_minutes against a brute-force reference.
-- The reference never calls tuki's functions nor reads tuki.calendar_open: it walks
-- every minute of a window (mid-March 2026 to January 2027: both DST changes, Easter,
-- Midsummer, Christmas), converts it to local time in the calendar's zone and checks
-- the weekday, the hours and the holidays directly from the tables. Open minutes are
-- then numbered, so "the n-th open minute from t" is a look-up.
BEGIN;
SELECT plan(6);
SELECT setseed(0.20261121);

INSERT INTO tuki.calendar (code, tz, name) VALUES
    ('p-lunch', 'Europe/Helsinki', 'test: Mon-Fri 08:00-11:30, 12:00-16:00; Sat 10:00-14:00'),
    ('p-night', 'Europe/Helsinki', 'test: Mon-Fri 22:00-06:00 next morning'),
    ('p-sunnight', 'Europe/Helsinki', 'test: Sunday 00:00-06:00'),
    ('p-hel247', 'Europe/Helsinki', 'test: always open in Helsinki'),
    ('p-odd', 'Europe/Bratislava', 'test: overlapping and touching rows, a 24:00 close');
INSERT INTO tuki.calendar_hours (calendar, isodow, opens, closes)
SELECT 'p-lunch', d, time '08:00', time '11:30' FROM generate_series(1, 5) d
UNION ALL SELECT 'p-lunch', d, '12:00', '16:00' FROM generate_series(1, 5) d
UNION ALL SELECT 'p-lunch', 6, '10:00', '14:00'
UNION ALL SELECT 'p-night', d, '22:00', '06:00' FROM generate_series(1, 5) d
UNION ALL SELECT 'p-sunnight', 7, '00:00', '06:00'
UNION ALL SELECT 'p-hel247', d, '00:00', '00:00' FROM generate_series(1, 7) d
UNION ALL SELECT 'p-odd', 1, '09:00', '12:00' UNION ALL SELECT 'p-odd', 1, '11:00', '13:15'
UNION ALL SELECT 'p-odd', 2, '13:15', '24:00' UNION ALL SELECT 'p-odd', 3, '00:00', '07:45'
UNION ALL SELECT 'p-odd', 5, '20:00', '20:00';
-- holidays that cut into overnight intervals and lunch days
INSERT INTO tuki.holiday (calendar, day, name) VALUES
    ('p-night', '2026-05-16', 'Saturday: cuts the end of the Friday shift'),
    ('p-night', '2026-06-01', 'Monday'),
    ('p-lunch', '2026-04-03', 'Good Friday'), ('p-lunch', '2026-06-20', 'Saturday'),
    ('p-odd', '2026-09-16', 'Wednesday'), ('p-odd', '2026-10-31', 'Saturday after a 24 h Friday'),
    ('p-hel247', '2026-10-25', 'the fall-back Sunday');

CREATE TEMP TABLE ref_minute ON COMMIT DROP AS
SELECT c.code AS calendar, m.t
  FROM tuki.calendar c
 CROSS JOIN generate_series(timestamptz '2026-03-15 00:00+00', timestamptz '2027-01-10 00:00+00' - interval '1 minute',
                            interval '1 minute') AS m(t)
 CROSS JOIN LATERAL (SELECT m.t AT TIME ZONE c.tz AS lt) l
 WHERE c.code IN ('24x7', 'fi-8-16', 'fi-9-17', 'sk-8-17', 'p-lunch', 'p-night', 'p-sunnight', 'p-hel247', 'p-odd')
   AND NOT EXISTS (SELECT 1 FROM tuki.holiday h WHERE h.calendar = c.code AND h.day = l.lt::date)
   AND EXISTS (SELECT 1 FROM tuki.calendar_hours ch
                WHERE ch.calendar = c.code
                  AND (   (ch.isodow = extract(isodow FROM l.lt)
                           AND l.lt::time >= ch.opens
                           AND (ch.closes <= ch.opens OR l.lt::time < ch.closes))
                       -- the after-midnight part of yesterday's overnight row
                       OR (ch.isodow = extract(isodow FROM l.lt::date - 1)
                           AND ch.closes <= ch.opens AND l.lt::time < ch.closes)));
CREATE TEMP TABLE ref_open ON COMMIT DROP AS
SELECT calendar, t, row_number() OVER (PARTITION BY calendar ORDER BY t) AS k FROM ref_minute;
CREATE UNIQUE INDEX ON ref_open (calendar, t);
CREATE UNIQUE INDEX ON ref_open (calendar, k);
ANALYZE ref_open;

-- open minutes strictly before t
CREATE FUNCTION pg_temp.ref_before(cal text, at timestamptz) RETURNS bigint LANGUAGE sql STABLE
AS $$ SELECT coalesce((SELECT k FROM ref_open WHERE calendar = cal AND t < at ORDER BY t DESC LIMIT 1), 0) $$;
-- the end of the n-th open minute at or after t (t itself for n = 0); null beyond the window
CREATE FUNCTION pg_temp.ref_add(cal text, at timestamptz, n int) RETURNS timestamptz LANGUAGE sql STABLE
AS $$ SELECT CASE WHEN n = 0 THEN at ELSE
          (SELECT t + interval '1 minute' FROM ref_open WHERE calendar = cal AND k = pg_temp.ref_before(cal, at) + n) END $$;

-- starts: three in four anywhere in the window, one in four on an opening or closing edge
CREATE TEMP TABLE ref_edge ON COMMIT DROP AS
SELECT calendar, t, row_number() OVER (PARTITION BY calendar ORDER BY t) AS e FROM (
    SELECT calendar, t FROM ref_open o
     WHERE NOT EXISTS (SELECT 1 FROM ref_open p WHERE p.calendar = o.calendar AND p.t = o.t - interval '1 minute')
    UNION
    SELECT calendar, t + interval '1 minute' FROM ref_open o
     WHERE NOT EXISTS (SELECT 1 FROM ref_open p WHERE p.calendar = o.calendar AND p.t = o.t + interval '1 minute')) x;
CREATE INDEX ON ref_edge (calendar, e);

CREATE TEMP TABLE prop_case ON COMMIT DROP AS
WITH pick AS (
    SELECT i, (ARRAY['24x7', 'fi-8-16', 'fi-9-17', 'sk-8-17', 'p-lunch', 'p-night', 'p-sunnight', 'p-hel247', 'p-odd'])
                  [1 + floor(random() * 9)::int] AS cal,
           random() AS r_start, random() AS r_kind, random() AS r_n, random() AS r_span
      FROM generate_series(1, 12000) i
), placed AS (
    SELECT p.i, p.cal,
           CASE WHEN p.r_kind < 0.25
                THEN (SELECT t FROM ref_edge WHERE calendar = p.cal
                         AND e = 1 + floor(p.r_start * (SELECT count(*) FROM ref_edge WHERE calendar = p.cal))::int)
                ELSE timestamptz '2026-03-15 00:00+00' + floor(p.r_start * 300 * 1440) * interval '1 minute' END AS start,
           -- mostly short budgets, some up to months of business time
           floor(power(p.r_n, 3) * CASE p.cal WHEN 'p-sunnight' THEN 9000 WHEN '24x7' THEN 200000
                                               WHEN 'p-hel247' THEN 200000 ELSE 40000 END)::int AS n,
           floor(power(p.r_span, 2) * 60 * 1440)::int AS span
      FROM pick p
)
SELECT * FROM placed WHERE start < timestamptz '2027-01-10 00:00+00';

CREATE TEMP TABLE prop_result ON COMMIT DROP AS
SELECT c.*, pg_temp.ref_add(c.cal, c.start, c.n) AS ref_end,
       tuki.business_add(c.cal, c.start, c.n) AS fast_end,
       least(c.start + c.span * interval '1 minute', timestamptz '2027-01-10 00:00+00') AS span_end
  FROM prop_case c;

SELECT cmp_ok((SELECT count(*) FROM prop_result WHERE ref_end IS NOT NULL), '>=', 10000::bigint,
              'at least 10,000 random (calendar, start, minutes) cases inside the reference window');
SELECT is((SELECT count(DISTINCT cal) FROM prop_result WHERE ref_end IS NOT NULL), 9::bigint,
          'cases cover all nine calendars');

SELECT is((SELECT count(*) FROM prop_result WHERE ref_end IS NOT NULL AND fast_end IS DISTINCT FROM ref_end), 0::bigint,
          'business_add agrees with the minute-by-minute reference');
SELECT is((SELECT count(*) FROM prop_result
            WHERE tuki.business_minutes(cal, start, span_end)
                  IS DISTINCT FROM (pg_temp.ref_before(cal, span_end) - pg_temp.ref_before(cal, start))::numeric), 0::bigint,
          'business_minutes agrees with the reference count of open minutes');
SELECT is((SELECT count(*) FROM prop_result
            WHERE fast_end < timestamptz '2046-01-01' AND tuki.business_minutes(cal, start, fast_end) <> n), 0::bigint,
          'business_minutes(c, t, business_add(c, t, n)) = n');
SELECT is((SELECT count(*) FROM prop_result
            WHERE n > 0 AND ref_end IS NOT NULL
              AND tuki.business_minutes(cal, start, fast_end - interval '1 second') >= n), 0::bigint,
          'business_add gives the earliest such instant (one second earlier is short of n)');

-- on failure, show a few counterexamples
SELECT diag(format('%s %s + %s: fast %s, reference %s', cal, start, n, fast_end, ref_end))
  FROM prop_result WHERE ref_end IS NOT NULL AND fast_end IS DISTINCT FROM ref_end LIMIT 5;

SELECT * FROM finish();
ROLLBACK;
