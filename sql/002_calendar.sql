-- Business calendars: weekly open hours in a time zone, minus holidays.
-- tuki.calendar_open (a precomputed, trigger-maintained table of merged open
-- intervals with a running total) is what business_add/business_minutes read.

CREATE FUNCTION tuki.tz_is_valid(tz text) RETURNS boolean
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog
AS $$ SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = tz) $$;
COMMENT ON FUNCTION tuki.tz_is_valid(text) IS 'True when tz is an IANA zone name PostgreSQL knows (as listed in pg_timezone_names); abbreviations and POSIX offsets are refused.';

CREATE TABLE tuki.calendar (
    code text PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9_-]*$'),
    tz   text NOT NULL,
    name text NOT NULL
);
COMMENT ON TABLE tuki.calendar IS 'A business calendar: weekly open hours (tuki.calendar_hours) in one IANA time zone, minus holidays (tuki.holiday).';
COMMENT ON COLUMN tuki.calendar.code IS 'Short code used by contracts, e.g. fi-8-16, 24x7.';
COMMENT ON COLUMN tuki.calendar.tz IS 'IANA time zone name, e.g. Europe/Helsinki; validated against pg_timezone_names (unknown zones are refused with TK106).';
COMMENT ON COLUMN tuki.calendar.name IS 'Human-readable description.';

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
