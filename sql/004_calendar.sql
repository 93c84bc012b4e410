-- Business calendars: weekly open hours in a time zone, minus holidays.
-- tuki.calendar_open (a precomputed, trigger-maintained table of merged open
-- intervals with a running total) is what business_add/business_minutes read.
SET LOCAL ROLE tuki_owner;

CREATE FUNCTION tuki.tz_is_valid(tz text) RETURNS boolean
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog
AS $$ SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = tz) $$;
COMMENT ON FUNCTION tuki.tz_is_valid(text) IS 'True when tz is an IANA zone name PostgreSQL knows (as listed in pg_timezone_names); abbreviations and POSIX offsets are refused.';

CREATE TABLE tuki.calendar (
    code text PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9_-]*$'),
    tz   text NOT NULL,
    name text NOT NULL,
    -- the key of the calendar's precomputed open time: every deadline is index look-ups there,
    -- and an integer key makes each a third cheaper than the code (a text compared by collation)
    id   integer GENERATED ALWAYS AS IDENTITY UNIQUE
);
COMMENT ON TABLE tuki.calendar IS 'A business calendar: weekly open hours (tuki.calendar_hours) in one IANA time zone, minus holidays (tuki.holiday).';
COMMENT ON COLUMN tuki.calendar.code IS 'Short code used by contracts, e.g. fi-8-16, 24x7.';
COMMENT ON COLUMN tuki.calendar.tz IS 'IANA time zone name, e.g. Europe/Helsinki; validated against pg_timezone_names (unknown zones are refused with TK106).';
COMMENT ON COLUMN tuki.calendar.name IS 'Human-readable description.';
COMMENT ON COLUMN tuki.calendar.id IS 'Internal number, the key of the calendar''s rows in tuki.calendar_open (unchanged when the code is renamed).';

CREATE FUNCTION tuki.calendar_check_tz() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    IF NOT tuki.tz_is_valid(NEW.tz) THEN
        RAISE EXCEPTION USING ERRCODE = 'TK106',
            MESSAGE = format('unknown time zone %L for calendar %s', NEW.tz, NEW.code),
            DETAIL = 'The zone must be an IANA name listed in pg_timezone_names.',
            HINT = 'Use a name such as Europe/Helsinki, Europe/Bratislava or UTC.';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION tuki.calendar_check_tz() IS 'Trigger: refuses a calendar whose tz is not a known IANA zone (TK106).';

CREATE TRIGGER calendar_check_tz BEFORE INSERT OR UPDATE OF tz ON tuki.calendar
    FOR EACH ROW EXECUTE FUNCTION tuki.calendar_check_tz();
COMMENT ON TRIGGER calendar_check_tz ON tuki.calendar IS 'Refuses unknown time zones (TK106).';

CREATE TABLE tuki.calendar_hours (
    calendar text NOT NULL REFERENCES tuki.calendar (code) ON UPDATE CASCADE ON DELETE CASCADE,
    isodow   integer NOT NULL CHECK (isodow BETWEEN 1 AND 7),
    opens    time NOT NULL,
    closes   time NOT NULL,
    PRIMARY KEY (calendar, isodow, opens)
);
COMMENT ON TABLE tuki.calendar_hours IS 'Weekly open hours of a calendar, local wall-clock times; several rows per weekday allowed (e.g. a lunch break); overlapping rows are merged.';
COMMENT ON COLUMN tuki.calendar_hours.calendar IS 'The calendar these hours belong to.';
COMMENT ON COLUMN tuki.calendar_hours.isodow IS 'ISO weekday the interval opens on: 1 = Monday ... 7 = Sunday.';
COMMENT ON COLUMN tuki.calendar_hours.opens IS 'Local time the interval opens.';
COMMENT ON COLUMN tuki.calendar_hours.closes IS 'Local time the interval closes; when closes <= opens the interval runs past midnight into the next day (00:00-00:00 is a whole day). 24:00 means midnight at the end of the day.';

CREATE TABLE tuki.holiday (
    calendar text NOT NULL REFERENCES tuki.calendar (code) ON UPDATE CASCADE ON DELETE CASCADE,
    day      date NOT NULL,
    name     text NOT NULL,
    PRIMARY KEY (calendar, day)
);
COMMENT ON TABLE tuki.holiday IS 'Closed days of a calendar: the whole local day (00:00 to 24:00 in the calendar''s zone) is closed, including the after-midnight part of an overnight interval.';
COMMENT ON COLUMN tuki.holiday.calendar IS 'The calendar the holiday belongs to.';
COMMENT ON COLUMN tuki.holiday.day IS 'Local date in the calendar''s time zone.';
COMMENT ON COLUMN tuki.holiday.name IS 'Name of the holiday, e.g. Juhannusaatto.';

-- The precomputed open time. Times are kept in microseconds so sums are exact.
CREATE FUNCTION tuki.calendar_horizon_years() RETURNS int4range
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT int4range(2015, 2046) $$;
COMMENT ON FUNCTION tuki.calendar_horizon_years() IS 'Years (local, in each calendar''s zone) covered by tuki.calendar_open: 2015 up to and including 2045. Business time outside it raises TK105. The one setting of the horizon: the shipped calendars get public holidays for these years too.';

CREATE FUNCTION tuki.calendar_horizon_year_list() RETURNS SETOF integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT generate_series(lower(tuki.calendar_horizon_years()), upper(tuki.calendar_horizon_years()) - 1) $$;
COMMENT ON FUNCTION tuki.calendar_horizon_year_list() IS 'The years of tuki.calendar_horizon_years(), one row each.';

CREATE TABLE tuki.calendar_horizon (
    calendar    text PRIMARY KEY REFERENCES tuki.calendar (code) ON UPDATE CASCADE ON DELETE CASCADE,
    calendar_id integer NOT NULL,
    lo          timestamptz NOT NULL,
    hi          timestamptz NOT NULL,
    open_total  bigint NOT NULL,
    built_at    timestamptz NOT NULL DEFAULT clock_timestamp()
);
COMMENT ON TABLE tuki.calendar_horizon IS 'One row per calendar: the span tuki.calendar_open covers and its total open time. Maintained by triggers; do not edit.';
COMMENT ON COLUMN tuki.calendar_horizon.calendar IS 'The calendar.';
COMMENT ON COLUMN tuki.calendar_horizon.calendar_id IS 'tuki.calendar.id: the key of the calendar''s rows in tuki.calendar_open, at hand for business_add and business_minutes, which look up the horizon by code anyway.';
COMMENT ON COLUMN tuki.calendar_horizon.lo IS 'Start of the covered span: local midnight of 1 January of the first horizon year.';
COMMENT ON COLUMN tuki.calendar_horizon.hi IS 'End (exclusive) of the covered span: local midnight of 1 January after the last horizon year.';
COMMENT ON COLUMN tuki.calendar_horizon.open_total IS 'Total open time within [lo, hi) in microseconds; 0 means the calendar has no open hours at all.';
COMMENT ON COLUMN tuki.calendar_horizon.built_at IS 'When tuki.calendar_rebuild last recomputed this calendar.';

CREATE TABLE tuki.calendar_open (
    calendar_id integer NOT NULL REFERENCES tuki.calendar (id) ON DELETE CASCADE,
    opens       timestamptz NOT NULL,
    closes      timestamptz NOT NULL CHECK (closes > opens),
    cum_before  bigint NOT NULL CHECK (cum_before >= 0),
    cum_after   bigint NOT NULL CHECK (cum_after > cum_before),
    PRIMARY KEY (calendar_id, opens)
);
CREATE UNIQUE INDEX calendar_open_cum ON tuki.calendar_open (calendar_id, cum_before);
COMMENT ON TABLE tuki.calendar_open IS 'Precomputed open intervals of each calendar (weekly hours in its zone, minus holidays, touching intervals merged) over the horizon, with the running total of open time before each. business_add and business_minutes are index look-ups here. Maintained by triggers; do not edit.';
COMMENT ON COLUMN tuki.calendar_open.calendar_id IS 'The calendar (tuki.calendar.id).';
COMMENT ON COLUMN tuki.calendar_open.opens IS 'Instant the interval opens (inclusive).';
COMMENT ON COLUMN tuki.calendar_open.closes IS 'Instant the interval closes (exclusive).';
COMMENT ON COLUMN tuki.calendar_open.cum_before IS 'Open time of this calendar from the start of the horizon up to opens, in microseconds.';
COMMENT ON COLUMN tuki.calendar_open.cum_after IS 'Open time of this calendar from the start of the horizon up to closes, in microseconds (cum_before + the interval''s length).';

CREATE FUNCTION tuki.epoch_us(t timestamptz) RETURNS bigint
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
AS $$ SELECT (extract(epoch FROM t) * 1000000)::bigint $$;
COMMENT ON FUNCTION tuki.epoch_us(timestamptz) IS 'Microseconds since the Unix epoch, exact (independent of the session time zone). STABLE like extract() itself, so the planner inlines it.';

CREATE FUNCTION tuki.calendar_rebuild(cal text) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    zone text;
    cal_id integer;
    y int4range := tuki.calendar_horizon_years();
    first_day date;
    end_day date;
    lo timestamptz;
    hi timestamptz;
BEGIN
    SELECT tz, id INTO zone, cal_id FROM tuki.calendar WHERE code = cal;
    DELETE FROM tuki.calendar_open WHERE calendar_id = cal_id;
    DELETE FROM tuki.calendar_horizon WHERE calendar = cal;
    IF zone IS NULL THEN
        RETURN;                         -- calendar was deleted (its open time went with it)
    END IF;
    first_day := make_date(lower(y), 1, 1);
    end_day := make_date(upper(y), 1, 1);
    lo := first_day::timestamp AT TIME ZONE zone;
    hi := end_day::timestamp AT TIME ZONE zone;

    WITH day AS (
        -- one day early, so an overnight interval from the day before the horizon counts
        SELECT g::date AS d FROM generate_series(first_day - 1, end_day - 1, interval '1 day') g
    ), piece AS (
        SELECT (day.d + h.opens) AT TIME ZONE zone AS a,
               (day.d + h.closes + CASE WHEN h.closes <= h.opens THEN interval '1 day' ELSE interval '0' END)
                   AT TIME ZONE zone AS b
          FROM day
          JOIN tuki.calendar_hours h ON h.calendar = cal AND h.isodow = extract(isodow FROM day.d)
    ), open_time AS (
        -- a wall-clock time inside a DST gap can make a piece empty or inverted: it has no length
        SELECT coalesce(range_agg(tstzrange(a, b)) FILTER (WHERE a < b), '{}'::tstzmultirange) AS m FROM piece
    ), closed_time AS (
        SELECT coalesce(range_agg(tstzrange(hd.day::timestamp AT TIME ZONE zone,
                                            (hd.day + 1)::timestamp AT TIME ZONE zone)),
                        '{}'::tstzmultirange) AS m
          FROM tuki.holiday hd WHERE hd.calendar = cal
    ), r AS (
        SELECT unnest((o.m - c.m) * tstzmultirange(tstzrange(lo, hi))) AS iv FROM open_time o, closed_time c
    ), sized AS (
        SELECT lower(iv) AS opens, upper(iv) AS closes,
               tuki.epoch_us(upper(iv)) - tuki.epoch_us(lower(iv)) AS len FROM r
    )
    INSERT INTO tuki.calendar_open (calendar_id, opens, closes, cum_before, cum_after)
    SELECT cal_id, opens, closes, cum - len, cum
      FROM (SELECT opens, closes, len, sum(len) OVER (ORDER BY opens) AS cum FROM sized) x;

    INSERT INTO tuki.calendar_horizon (calendar, calendar_id, lo, hi, open_total)
    SELECT cal, cal_id, lo, hi,
           coalesce((SELECT cum_after FROM tuki.calendar_open WHERE calendar_id = cal_id
                      ORDER BY opens DESC LIMIT 1), 0);
END
$$;
COMMENT ON FUNCTION tuki.calendar_rebuild(text) IS 'Recomputes tuki.calendar_open and tuki.calendar_horizon for one calendar from its hours, holidays and zone. Called by triggers; safe to call by hand.';

CREATE FUNCTION tuki.calendar_changed() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    cal text;
BEGIN
    -- statement level: each affected calendar is rebuilt once however many rows changed
    IF TG_OP = 'INSERT' THEN
        FOR cal IN SELECT DISTINCT n.cal FROM (SELECT * FROM new_rows) x, LATERAL (SELECT CASE WHEN TG_TABLE_NAME = 'calendar' THEN to_jsonb(x)->>'code' ELSE to_jsonb(x)->>'calendar' END AS cal) n LOOP
            PERFORM tuki.calendar_rebuild(cal);
        END LOOP;
    ELSIF TG_OP = 'UPDATE' THEN
        FOR cal IN SELECT DISTINCT n.cal FROM (SELECT * FROM new_rows UNION ALL SELECT * FROM old_rows) x, LATERAL (SELECT CASE WHEN TG_TABLE_NAME = 'calendar' THEN to_jsonb(x)->>'code' ELSE to_jsonb(x)->>'calendar' END AS cal) n LOOP
            PERFORM tuki.calendar_rebuild(cal);
        END LOOP;
    ELSE
        FOR cal IN SELECT DISTINCT n.cal FROM (SELECT * FROM old_rows) x, LATERAL (SELECT CASE WHEN TG_TABLE_NAME = 'calendar' THEN to_jsonb(x)->>'code' ELSE to_jsonb(x)->>'calendar' END AS cal) n LOOP
            PERFORM tuki.calendar_rebuild(cal);
        END LOOP;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION tuki.calendar_changed() IS 'Statement trigger on calendar, calendar_hours and holiday: rebuilds the precomputed open intervals of every calendar the statement touched.';

CREATE TRIGGER calendar_hours_changed_ins AFTER INSERT ON tuki.calendar_hours
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tuki.calendar_changed();
CREATE TRIGGER calendar_hours_changed_upd AFTER UPDATE ON tuki.calendar_hours
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tuki.calendar_changed();
CREATE TRIGGER calendar_hours_changed_del AFTER DELETE ON tuki.calendar_hours
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tuki.calendar_changed();
CREATE TRIGGER holiday_changed_ins AFTER INSERT ON tuki.holiday
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tuki.calendar_changed();
CREATE TRIGGER holiday_changed_upd AFTER UPDATE ON tuki.holiday
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tuki.calendar_changed();
CREATE TRIGGER holiday_changed_del AFTER DELETE ON tuki.holiday
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tuki.calendar_changed();
CREATE TRIGGER calendar_changed_ins AFTER INSERT ON tuki.calendar
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tuki.calendar_changed();
CREATE TRIGGER calendar_changed_upd AFTER UPDATE ON tuki.calendar
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tuki.calendar_changed();
COMMENT ON TRIGGER calendar_hours_changed_ins ON tuki.calendar_hours IS 'Rebuilds tuki.calendar_open for the calendars whose hours were added.';
COMMENT ON TRIGGER calendar_hours_changed_upd ON tuki.calendar_hours IS 'Rebuilds tuki.calendar_open for the calendars whose hours changed.';
COMMENT ON TRIGGER calendar_hours_changed_del ON tuki.calendar_hours IS 'Rebuilds tuki.calendar_open for the calendars whose hours were removed.';
COMMENT ON TRIGGER holiday_changed_ins ON tuki.holiday IS 'Rebuilds tuki.calendar_open for the calendars that got holidays.';
COMMENT ON TRIGGER holiday_changed_upd ON tuki.holiday IS 'Rebuilds tuki.calendar_open for the calendars whose holidays changed.';
COMMENT ON TRIGGER holiday_changed_del ON tuki.holiday IS 'Rebuilds tuki.calendar_open for the calendars that lost holidays.';
COMMENT ON TRIGGER calendar_changed_ins ON tuki.calendar IS 'Creates the (empty) precomputed open time of a new calendar.';
COMMENT ON TRIGGER calendar_changed_upd ON tuki.calendar IS 'Rebuilds tuki.calendar_open when a calendar''s zone or code changes.';

-- Two primitives over calendar_open, written as one-row set-returning SQL functions so the
-- planner inlines them: into business_add/business_minutes, and into set-based queries
-- over many tickets (the SLA clocks), where a call per row would be too slow.
CREATE FUNCTION tuki.open_before(calendar_id integer, at timestamptz) RETURNS TABLE (us bigint)
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 1
AS $$
    SELECT coalesce((SELECT least(o.cum_after, o.cum_before + tuki.epoch_us(open_before.at) - tuki.epoch_us(o.opens))
                       FROM tuki.calendar_open o
                      WHERE o.calendar_id = open_before.calendar_id AND o.opens <= open_before.at
                      ORDER BY o.opens DESC LIMIT 1), 0)
$$;
COMMENT ON FUNCTION tuki.open_before(integer, timestamptz) IS 'One row: the calendar''s (tuki.calendar.id) open time from the start of its horizon up to at, in microseconds (an index look-up in tuki.calendar_open). No checks; business_minutes is the checked interface.';

CREATE FUNCTION tuki.open_reach(calendar_id integer, us bigint) RETURNS TABLE (at timestamptz)
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 1
AS $$
    SELECT CASE WHEN open_reach.us <= o.cum_after
                THEN o.opens + make_interval(secs => (open_reach.us - o.cum_before) / 1000000.0) END
      FROM tuki.calendar_open o
     WHERE o.calendar_id = open_reach.calendar_id AND o.cum_before < open_reach.us
     ORDER BY o.cum_before DESC LIMIT 1
$$;
COMMENT ON FUNCTION tuki.open_reach(integer, bigint) IS 'The earliest instant at which the calendar''s (tuki.calendar.id) open time since the start of its horizon reaches us microseconds (us > 0); null beyond the horizon, no row for us <= 0. An index look-up in tuki.calendar_open; business_add is the checked interface.';

CREATE FUNCTION tuki.business_add_exact(calendar text, start timestamptz, minutes numeric) RETURNS timestamptz
    LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
DECLARE
    h_lo timestamptz;
    h_hi timestamptz;
    cal_id integer;
    total bigint;
    open_us bigint;
    target bigint;
    answer timestamptz;
    -- for messages: 1e300 in a few characters, not three hundred digits
    shown text := CASE WHEN minutes::text ~ '^-?[0-9]{16}' THEN btrim(to_char(minutes, '9.99EEEE')) ELSE minutes::text END;
    years int4range := tuki.calendar_horizon_years();
BEGIN
    -- the range before the sign: no horizon holds more minutes than its years have, so
    -- +-1e300, +-infinity and NaN (greater than every number) are out of range (TK105), not
    -- negative (TK102)
    IF abs(minutes) > (upper(years) - lower(years)) * 366 * 1440 THEN
        PERFORM tuki.fail('TK105', format('%s business minutes after %s is beyond the business-time horizon of calendar %s', shown, start, calendar),
            format('No calendar covers more than the years %s to %s.', lower(years), upper(years) - 1),
            'Extend tuki.calendar_horizon_years() in a migration.');
    END IF;
    IF minutes < 0 THEN
        PERFORM tuki.fail('TK102', format('negative business minutes: %s', shown),
            'business_add counts forward only.', 'Pass minutes >= 0.');
    END IF;
    -- open time up to start (clamped to the horizon, so infinity or year 294276 reaches the
    -- horizon check below, not an overflow); plus the budget it is reached at the answer
    SELECT h.lo, h.hi, h.calendar_id, h.open_total, b.us
      INTO h_lo, h_hi, cal_id, total, open_us
      FROM tuki.calendar_horizon h
     CROSS JOIN LATERAL tuki.open_before(h.calendar_id, least(greatest(start, h.lo), h.hi)) b
     WHERE h.calendar = business_add_exact.calendar;
    IF NOT FOUND THEN
        PERFORM tuki.fail('TK101', format('unknown calendar %L', calendar),
            'The calendar must be a code in tuki.calendar.', 'See: SELECT code FROM tuki.calendar;');
    END IF;
    IF start IS NULL OR minutes IS NULL THEN
        RETURN NULL;
    END IF;
    IF start < h_lo OR start >= h_hi THEN
        PERFORM tuki.fail('TK105', format('%s is outside the business-time horizon of calendar %s', start, calendar),
            format('Calendar %s covers %s to %s.', calendar, h_lo, h_hi), 'Extend tuki.calendar_horizon_years() in a migration.');
    END IF;
    IF round(minutes * 60000000) = 0 THEN
        RETURN start;
    END IF;
    IF total = 0 THEN
        PERFORM tuki.fail('TK104', format('calendar %s has no open hours', calendar),
            'No business time ever passes in it, so no deadline can be reached.', 'Add rows to tuki.calendar_hours for it.');
    END IF;
    -- in numeric, so 1e300, infinity and NaN (greater than every number) are beyond it too
    IF open_us + round(minutes * 60000000) > total THEN
        PERFORM tuki.fail('TK105', format('%s business minutes after %s is beyond the business-time horizon of calendar %s', shown, start, calendar),
            format('Calendar %s covers %s to %s.', calendar, h_lo, h_hi), 'Extend tuki.calendar_horizon_years() in a migration.');
    END IF;
    target := open_us + round(minutes * 60000000);
    SELECT r.at INTO answer FROM tuki.open_reach(cal_id, target) r;
    RETURN answer;
END
$$;
COMMENT ON FUNCTION tuki.business_add_exact(text, timestamptz, numeric) IS 'business_add for a fractional number of minutes (exact to the microsecond); used by the SLA clocks, which carry fractional time used across pauses. Same rules and errors as tuki.business_add.';

CREATE FUNCTION tuki.business_add(calendar text, start timestamptz, minutes integer) RETURNS timestamptz
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT tuki.business_add_exact(business_add.calendar, business_add.start, business_add.minutes) $$;
COMMENT ON FUNCTION tuki.business_add(text, timestamptz, integer) IS 'The earliest instant T >= start with business_minutes(calendar, start, T) = minutes: a budget running out exactly at a closing time gives that closing time; time before an opening does not count; 0 minutes gives start. Errors: TK101 unknown calendar, TK102 negative minutes, TK104 no open hours, TK105 outside the horizon (see tuki.calendar_horizon_years()), also for minutes no horizon holds, negative ones too (checked first).';

-- Open time as business minutes, the one conversion: exact to the second, a fraction of a
-- minute rounded to 8 decimals.
CREATE FUNCTION tuki.minutes_of_us(us bigint) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT trim_scale(round(us / 60000000.0, 8)) $$;
COMMENT ON FUNCTION tuki.minutes_of_us(bigint) IS 'Microseconds of open time as business minutes, rounded to 8 decimals (tuki.business_minutes, banking a paused SLA clock).';

CREATE FUNCTION tuki.business_minutes(calendar text, from_ts timestamptz, to_ts timestamptz) RETURNS numeric
    LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
DECLARE
    h_lo timestamptz;
    h_hi timestamptz;
    used bigint;
BEGIN
    IF to_ts < from_ts THEN
        PERFORM tuki.fail('TK103', format('to_ts %s is before from_ts %s', to_ts, from_ts),
            'business_minutes measures forward from from_ts to to_ts.', 'Swap the arguments.');
    END IF;
    SELECT h.lo, h.hi, b.us - a.us
      INTO h_lo, h_hi, used
      FROM tuki.calendar_horizon h
     -- clamped to the horizon: an instant outside it is refused below (TK105), not overflowed
     CROSS JOIN LATERAL tuki.open_before(h.calendar_id, least(greatest(from_ts, h.lo), h.hi)) a
     CROSS JOIN LATERAL tuki.open_before(h.calendar_id, least(greatest(to_ts, h.lo), h.hi)) b
     WHERE h.calendar = business_minutes.calendar;
    IF NOT FOUND THEN
        PERFORM tuki.fail('TK101', format('unknown calendar %L', calendar),
            'The calendar must be a code in tuki.calendar.', 'See: SELECT code FROM tuki.calendar;');
    END IF;
    IF from_ts IS NULL OR to_ts IS NULL THEN
        RETURN NULL;
    END IF;
    IF from_ts < h_lo OR to_ts > h_hi THEN
        PERFORM tuki.fail('TK105', format('%s to %s is outside the business-time horizon of calendar %s', from_ts, to_ts, calendar),
            format('Calendar %s covers %s to %s.', calendar, h_lo, h_hi), 'Extend tuki.calendar_horizon_years() in a migration.');
    END IF;
    RETURN tuki.minutes_of_us(used);
END
$$;
COMMENT ON FUNCTION tuki.business_minutes(text, timestamptz, timestamptz) IS 'Length in minutes of the intersection of [from_ts, to_ts) with the calendar''s open time (weekly hours in its zone minus holidays); exact to the second (fractional minutes rounded to 8 decimals). A calendar with no open hours gives 0. Errors: TK101 unknown calendar, TK103 to_ts before from_ts, TK105 outside the horizon.';

-- Holidays are computed, not typed in.
CREATE FUNCTION tuki.easter_sunday(year integer) RETURNS date
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
    -- Gregorian computus (the anonymous "Meeus/Jones/Butcher" algorithm)
    a int := year % 19;
    b int := year / 100;
    c int := year % 100;
    d int := b / 4;
    e int := b % 4;
    f int := (b + 8) / 25;
    g int := (b - f + 1) / 3;
    h int := (19 * a + b - d - g + 15) % 30;
    i int := c / 4;
    k int := c % 4;
    l int := (32 + 2 * e + 2 * i - h - k) % 7;
    m int := (a + 11 * h + 22 * l) / 451;
BEGIN
    RETURN make_date(year, (h + l - 7 * m + 114) / 31, (h + l - 7 * m + 114) % 31 + 1);
END
$$;
COMMENT ON FUNCTION tuki.easter_sunday(integer) IS 'Date of (Western, Gregorian) Easter Sunday in the given year, computed with the Meeus/Jones/Butcher algorithm.';

CREATE FUNCTION tuki.weekday_on_or_after(day date, isodow integer) RETURNS date
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT day + ((isodow - extract(isodow FROM day)::int + 7) % 7) $$;
COMMENT ON FUNCTION tuki.weekday_on_or_after(date, integer) IS 'The first date on or after day that falls on the ISO weekday isodow (1 = Monday).';

CREATE FUNCTION tuki.holidays_fi(year integer) RETURNS TABLE (day date, name text)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT x.day, x.name FROM (VALUES
        (make_date(year, 1, 1), 'Uudenvuodenpäivä'),
        (make_date(year, 1, 6), 'Loppiainen'),
        (tuki.easter_sunday(year) - 2, 'Pitkäperjantai'),
        (tuki.easter_sunday(year), 'Pääsiäispäivä'),
        (tuki.easter_sunday(year) + 1, 'Toinen pääsiäispäivä'),
        (make_date(year, 5, 1), 'Vappu'),
        (tuki.easter_sunday(year) + 39, 'Helatorstai'),
        (tuki.easter_sunday(year) + 49, 'Helluntaipäivä'),
        (tuki.weekday_on_or_after(make_date(year, 6, 19), 5), 'Juhannusaatto'),
        (tuki.weekday_on_or_after(make_date(year, 6, 20), 6), 'Juhannuspäivä'),
        (tuki.weekday_on_or_after(make_date(year, 10, 31), 6), 'Pyhäinpäivä'),
        (make_date(year, 12, 6), 'Itsenäisyyspäivä'),
        (make_date(year, 12, 24), 'Jouluaatto'),
        (make_date(year, 12, 25), 'Joulupäivä'),
        (make_date(year, 12, 26), 'Tapaninpäivä')
    ) AS x(day, name)
$$;
COMMENT ON FUNCTION tuki.holidays_fi(integer) IS 'Finnish public holidays and customary days off (Midsummer Eve, Christmas Eve) of a year; moving feasts from tuki.easter_sunday, Midsummer Eve the Friday between 19 and 25 June, All Saints'' Day the Saturday between 31 October and 6 November.';

CREATE FUNCTION tuki.holidays_sk(year integer) RETURNS TABLE (day date, name text)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT x.day, x.name FROM (VALUES
        (make_date(year, 1, 1), 'Deň vzniku Slovenskej republiky', true),
        (make_date(year, 1, 6), 'Zjavenie Pána (Traja králi)', true),
        (tuki.easter_sunday(year) - 2, 'Veľký piatok', true),
        (tuki.easter_sunday(year) + 1, 'Veľkonočný pondelok', true),
        (make_date(year, 5, 1), 'Sviatok práce', true),
        (make_date(year, 5, 8), 'Deň víťazstva nad fašizmom', true),
        (make_date(year, 7, 5), 'Sviatok svätého Cyrila a svätého Metoda', true),
        (make_date(year, 8, 29), 'Výročie Slovenského národného povstania', true),
        -- no longer days off: Constitution Day from 2024, 17 November from 2025
        (make_date(year, 9, 1), 'Deň Ústavy Slovenskej republiky', year <= 2023),
        (make_date(year, 9, 15), 'Sedembolestná Panna Mária', true),
        (make_date(year, 11, 1), 'Sviatok všetkých svätých', true),
        (make_date(year, 11, 17), 'Deň boja za slobodu a demokraciu', year <= 2024),
        (make_date(year, 12, 24), 'Štedrý deň', true),
        (make_date(year, 12, 25), 'Prvý sviatok vianočný', true),
        (make_date(year, 12, 26), 'Druhý sviatok vianočný', true)
    ) AS x(day, name, day_off)
    WHERE x.day_off
$$;
COMMENT ON FUNCTION tuki.holidays_sk(integer) IS 'Slovak days of rest (dni pracovného pokoja) of a year; Easter from tuki.easter_sunday. 1 September stopped being a day off in 2024 and 17 November in 2025.';

INSERT INTO tuki.calendar (code, tz, name) VALUES
    ('24x7',    'UTC',               'Around the clock, every day'),
    ('fi-8-16', 'Europe/Helsinki',   'Finland, Mon-Fri 08-16, Finnish public holidays'),
    ('fi-9-17', 'Europe/Helsinki',   'Finland, Mon-Fri 09-17, Finnish public holidays'),
    ('sk-8-17', 'Europe/Bratislava', 'Slovakia, Mon-Fri 08-17, Slovak public holidays');

INSERT INTO tuki.calendar_hours (calendar, isodow, opens, closes)
SELECT '24x7', d, time '00:00', time '00:00' FROM generate_series(1, 7) d
UNION ALL SELECT 'fi-8-16', d, '08:00', '16:00' FROM generate_series(1, 5) d
UNION ALL SELECT 'fi-9-17', d, '09:00', '17:00' FROM generate_series(1, 5) d
UNION ALL SELECT 'sk-8-17', d, '08:00', '17:00' FROM generate_series(1, 5) d;

-- holidays for every year of the horizon: the one setting is tuki.calendar_horizon_years()
INSERT INTO tuki.holiday (calendar, day, name)
SELECT c.code, h.day, h.name
  FROM (VALUES ('fi-8-16'), ('fi-9-17')) c(code), tuki.calendar_horizon_year_list() y, tuki.holidays_fi(y) h
UNION ALL
SELECT 'sk-8-17', h.day, h.name FROM tuki.calendar_horizon_year_list() y, tuki.holidays_sk(y) h;

RESET ROLE;
