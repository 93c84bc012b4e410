-- 021: why a deadline is what it is (tuki.sla_explain), the arithmetic a customer dispute
-- needs: for each SLA clock the target and the contract row and priority it comes from, the
-- calendar with its opening hours and the holidays in range, the stretches the clock ran and
-- the pauses with their reasons, business minutes used and left, and the deadline with the
-- business minutes of each day that lead to it. Nothing is computed twice: every figure comes
-- from tuki.business_minutes, the stored clocks and tuki.sla.
SET LOCAL ROLE tuki_owner;

CREATE FUNCTION tuki.sla_explain_minutes(minutes numeric) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN round(minutes, 2) = trunc(round(minutes, 2)) THEN trunc(round(minutes, 2))::text
                ELSE round(minutes, 2)::text END
$$;
COMMENT ON FUNCTION tuki.sla_explain_minutes(numeric) IS 'Business minutes as tuki.sla_explain writes them: to two decimals, without them when those are zero.';

CREATE FUNCTION tuki.sla_explain_at(at timestamptz, tz text) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT to_char(at AT TIME ZONE tz, 'Dy YYYY-MM-DD HH24:MI') $$;
COMMENT ON FUNCTION tuki.sla_explain_at(timestamptz, text) IS 'An instant as tuki.sla_explain writes it: weekday, date and time in the calendar''s zone tz (named once in the explanation''s calendar line).';

-- The deadline's arithmetic day by day: how many business minutes each local day of the
-- calendar contributes between two instants (at most 62 days are listed).
CREATE FUNCTION tuki.sla_explain_days(calendar text, from_ts timestamptz, to_ts timestamptz) RETURNS text
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT string_agg(format('%s on %s', tuki.sla_explain_minutes(x.m), to_char(d.day, 'Dy YYYY-MM-DD')), ', '
                      ORDER BY d.day)
      FROM tuki.calendar k
     CROSS JOIN LATERAL generate_series((from_ts AT TIME ZONE k.tz)::date, (to_ts AT TIME ZONE k.tz)::date,
                                        interval '1 day') d(day)
     CROSS JOIN LATERAL (SELECT tuki.business_minutes(k.code, greatest(from_ts, d.day AT TIME ZONE k.tz),
                                                      least(to_ts, (d.day + interval '1 day') AT TIME ZONE k.tz)) AS m) x
     WHERE k.code = sla_explain_days.calendar AND to_ts > from_ts AND x.m > 0
       AND to_ts - from_ts <= interval '62 days'
$$;
COMMENT ON FUNCTION tuki.sla_explain_days(text, timestamptz, timestamptz) IS 'The business minutes (tuki.business_minutes) each local day of the calendar contributes to [from_ts, to_ts), e.g. "120 on Wed 2026-12-23, 360 on Mon 2026-12-28"; null for an empty range or one longer than 62 days.';

-- The opening hours of a calendar in a line: days with the same hours grouped, e.g.
-- "Mon-Fri 08:00-16:00"; a day open round the clock is 00:00-24:00.
CREATE FUNCTION tuki.sla_explain_hours(calendar text) RETURNS text
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
    WITH day AS (
        SELECT h.isodow, string_agg(to_char(h.opens, 'HH24:MI') || '-' ||
                                    CASE WHEN h.closes = '00:00' THEN '24:00' ELSE to_char(h.closes, 'HH24:MI') END,
                                    ', ' ORDER BY h.opens) AS hours
          FROM tuki.calendar_hours h WHERE h.calendar = sla_explain_hours.calendar GROUP BY h.isodow
    ), run AS (  -- consecutive days with the same hours form one run
        SELECT d.*, d.isodow - row_number() OVER (PARTITION BY d.hours ORDER BY d.isodow) AS grp FROM day d
    ), name(isodow, dy) AS (VALUES (1, 'Mon'), (2, 'Tue'), (3, 'Wed'), (4, 'Thu'), (5, 'Fri'), (6, 'Sat'), (7, 'Sun'))
    SELECT coalesce(string_agg(r.days || ' ' || r.hours, ', ' ORDER BY r.first), 'never open')
      FROM (SELECT min(run.isodow) AS first, run.hours,
                   (SELECT dy FROM name WHERE name.isodow = min(run.isodow))
                   || CASE WHEN count(*) > 1 THEN '-' || (SELECT dy FROM name WHERE name.isodow = max(run.isodow)) ELSE '' END AS days
              FROM run GROUP BY run.hours, run.grp) r
$$;
COMMENT ON FUNCTION tuki.sla_explain_hours(text) IS 'A calendar''s weekly opening hours in one line, consecutive days with the same hours grouped ("Mon-Fri 08:00-16:00"); "never open" without hours.';

CREATE FUNCTION tuki.sla_explain(id bigint)
    RETURNS TABLE (n integer, clock text, line text)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t tuki.ticket;
    k tuki.contract;
    cal tuki.calendar;
    now_at timestamptz := tuki.now();
    s record;
    seg record;
    ch record;
    last_at timestamptz;
    which text;
    target_now integer;
    ran numeric;
BEGIN
    SELECT * INTO t FROM tuki.ticket x WHERE x.id = sla_explain.id;
    IF NOT FOUND THEN
        PERFORM tuki.fail('TK006', format('no ticket #%s', sla_explain.id),
                          'No ticket you can see has that number.', 'search WORDS finds a ticket.');
    END IF;
    SELECT * INTO k FROM tuki.contract c WHERE c.id = t.contract;
    SELECT * INTO cal FROM tuki.calendar c WHERE c.code = k.calendar;
    n := 0;
    clock := NULL;

    n := n + 1;
    line := format('#%s %s, priority P%s (impact %s, urgency %s), service level %s, status %s, as of %s',
                   t.id, t.customer, t.priority, t.impact, t.urgency, t.service_level, t.status,
                   tuki.sla_explain_at(now_at, cal.tz));
    RETURN NEXT;
    n := n + 1;
    line := format('contract #%s of %s (valid %s to %s): service level %s%s, calendar %s',
                   k.id, k.customer, k.valid_from, coalesce(k.valid_to::text, 'open end'), k.service_level,
                   CASE WHEN t.service_level <> k.service_level
                        THEN format(', raised to %s from %s to %s (the ticket''s creation day is in it)',
                                    k.raise_level, k.raise_from, k.raise_to) ELSE '' END,
                   k.calendar);
    RETURN NEXT;
    n := n + 1;
    line := format('calendar %s (%s): open %s, times in %s', cal.code, cal.name, tuki.sla_explain_hours(cal.code), cal.tz);
    RETURN NEXT;
    n := n + 1;
    line := format('holidays from %s to %s: %s',
                   (t.created_at AT TIME ZONE cal.tz)::date,
                   (greatest(now_at, t.response_due, t.resolve_due) AT TIME ZONE cal.tz)::date,
                   coalesce((SELECT string_agg(format('%s %s', to_char(h.day, 'Dy YYYY-MM-DD'), h.name), ', ' ORDER BY h.day)
                               FROM tuki.holiday h
                              WHERE h.calendar = cal.code
                                AND h.day BETWEEN (t.created_at AT TIME ZONE cal.tz)::date
                                              AND (greatest(now_at, t.response_due, t.resolve_due) AT TIME ZONE cal.tz)::date),
                            'none'));
    RETURN NEXT;

    FOREACH which IN ARRAY ARRAY['response', 'resolve'] LOOP
        SELECT * INTO s FROM tuki.sla x WHERE x.ticket = t.id AND x.target = which;
        clock := which;
        IF NOT FOUND THEN
            n := n + 1;
            line := format('%s: no target (sla_target has no row for %s P%s)', which, t.service_level, t.priority);
            RETURN NEXT;
            CONTINUE;
        END IF;
        -- the target it started with, from the first recalculation (the ticket's creation)
        SELECT (e.detail -> which ->> 'target')::integer INTO target_now
          FROM tuki.ticket_event e WHERE e.ticket = t.id AND e.kind = 'sla_recalc' ORDER BY e.at, e.id LIMIT 1;
        n := n + 1;
        line := format('%s: target %s business minutes from sla_target %s P%s at creation, %s',
                       which, coalesce(target_now, s.target_minutes),
                       coalesce((SELECT (e.detail ->> 'service_level') FROM tuki.ticket_event e
                                  WHERE e.ticket = t.id AND e.kind = 'created' LIMIT 1), t.service_level),
                       coalesce((SELECT (e.detail ->> 'priority') FROM tuki.ticket_event e
                                  WHERE e.ticket = t.id AND e.kind = 'created' LIMIT 1), t.priority::text),
                       tuki.sla_explain_at(t.created_at, cal.tz));
        RETURN NEXT;

        -- Stretches of the clock and changes of target, in the order they happened. The
        -- response clock runs from creation to the first public reply; the resolution clock
        -- runs in the statuses of tuki.sla_is_running and is paused in the others.
        FOR seg IN
            WITH st AS (
                SELECT e.at, e.id, e.detail ->> 'to' AS status FROM tuki.ticket_event e
                 WHERE e.ticket = t.id AND e.kind = 'status'
            ), change AS (  -- a recalculation that changed this clock's target
                SELECT e.at AS a, e.at AS b, e.id, 0 AS kind, e.detail ->> 'reason' AS what, NULL::text AS status
                  FROM (SELECT e.*, lag((e.detail -> which ->> 'target')::integer) OVER (ORDER BY e.at, e.id) AS before
                          FROM tuki.ticket_event e WHERE e.ticket = t.id AND e.kind = 'sla_recalc') e
                 WHERE (e.detail -> which ->> 'target')::integer IS DISTINCT FROM e.before AND e.before IS NOT NULL
            ), point AS (  -- where a stretch starts: creation, a change of status or of target
                SELECT t.created_at AS at, 0::bigint AS id
                UNION ALL SELECT st.at, st.id FROM st WHERE which = 'resolve'
                UNION ALL SELECT c.a, c.id FROM change c
                 WHERE which = 'resolve' OR c.a < coalesce(t.responded_at, 'infinity')
            ), span AS (
                SELECT p.at AS a,
                       coalesce(lead(p.at) OVER w,
                                CASE WHEN which = 'response' THEN coalesce(t.responded_at, now_at) ELSE now_at END) AS b,
                       p.id,
                       CASE WHEN which = 'resolve'
                            THEN coalesce((SELECT st.status FROM st WHERE (st.at, st.id) <= (p.at, p.id)
                                            ORDER BY st.at DESC, st.id DESC LIMIT 1),
                                          (SELECT e.detail ->> 'from' FROM tuki.ticket_event e
                                            WHERE e.ticket = t.id AND e.kind = 'status' ORDER BY e.at, e.id LIMIT 1),
                                          t.status) END AS status
                  FROM point p WINDOW w AS (ORDER BY p.at, p.id)
            ), stretch AS (
                SELECT sp.a, sp.b, sp.id, 1 AS kind,
                       CASE WHEN sp.status IS NULL OR tuki.sla_is_running(sp.status) THEN 'runs'
                            WHEN sp.status = 'closed' THEN 'stopped' ELSE 'paused' END AS what, sp.status
                  FROM span sp WHERE sp.b >= sp.a
            )
            SELECT x.*, tuki.business_minutes(cal.code, x.a, x.b) AS m,
                   (SELECT p.detail FROM tuki.ticket_event p WHERE p.ticket = t.id AND p.kind = 'priority'
                       AND p.at = x.a ORDER BY p.id DESC LIMIT 1) AS prio,
                   (SELECT r.detail FROM tuki.ticket_event r WHERE r.id = x.id AND x.kind = 0) AS recalc
              FROM (SELECT * FROM stretch UNION ALL SELECT * FROM change) x
             ORDER BY x.a, x.kind, x.id
        LOOP
            n := n + 1;
            IF seg.kind = 0 THEN
                -- time used so far is kept: what the clock had run until the change
                ran := CASE WHEN which = 'resolve' THEN (seg.recalc -> 'resolve' ->> 'used')::numeric
                            ELSE tuki.business_minutes(cal.code, t.created_at, least(seg.a, coalesce(t.responded_at, seg.a))) END;
                line := format('  %s %s: target %s -> %s business minutes (sla_target %s P%s); the %s used are kept, %s left',
                               tuki.sla_explain_at(seg.a, cal.tz),
                               CASE WHEN seg.what = 'priority' AND seg.prio IS NOT NULL
                                    THEN format('priority P%s -> P%s (impact %s, urgency %s)', seg.prio ->> 'from',
                                                seg.prio ->> 'to', seg.prio ->> 'impact', seg.prio ->> 'urgency')
                                    ELSE format('recalculated (%s)', seg.what) END,
                               (SELECT (e.detail -> which ->> 'target') FROM tuki.ticket_event e
                                 WHERE e.ticket = t.id AND e.kind = 'sla_recalc' AND (e.at, e.id) < (seg.a, seg.id)
                                 ORDER BY e.at DESC, e.id DESC LIMIT 1),
                               seg.recalc -> which ->> 'target', t.service_level,
                               coalesce(seg.prio ->> 'to', t.priority::text),
                               tuki.sla_explain_minutes(ran),
                               tuki.sla_explain_minutes((seg.recalc -> which ->> 'target')::integer - ran));
            ELSIF seg.what = 'runs' THEN
                line := format('  runs %s -> %s%s: %s business minutes',
                               tuki.sla_explain_at(seg.a, cal.tz),
                               CASE WHEN seg.b = now_at AND (which = 'resolve' OR t.responded_at IS NULL) THEN 'now'
                                    ELSE tuki.sla_explain_at(seg.b, cal.tz) END,
                               CASE WHEN seg.status IS NOT NULL THEN format(' (%s)', seg.status)
                                    WHEN seg.b = t.responded_at THEN ' (the first public reply)' ELSE '' END,
                               tuki.sla_explain_minutes(seg.m));
            ELSIF seg.what = 'paused' THEN
                line := format('  paused %s -> %s: %s (%s); %s business minutes not counted',
                               tuki.sla_explain_at(seg.a, cal.tz),
                               CASE WHEN seg.b = now_at THEN 'now' ELSE tuki.sla_explain_at(seg.b, cal.tz) END,
                               seg.status,
                               CASE seg.status WHEN 'waiting_customer' THEN 'waiting for the customer'
                                               WHEN 'resolved' THEN 'resolved, waiting for the customer to confirm'
                                               ELSE 'not counted in this status' END,
                               tuki.sla_explain_minutes(seg.m));
            ELSE
                line := format('  stopped %s: %s', tuki.sla_explain_at(seg.a, cal.tz), seg.status);
            END IF;
            RETURN NEXT;
        END LOOP;

        n := n + 1;
        line := format('  used %s of %s business minutes, %s left: %s',
                       tuki.sla_explain_minutes(s.used), s.target_minutes, tuki.sla_explain_minutes(s.remaining), s.state);
        RETURN NEXT;
        n := n + 1;
        IF which = 'response' THEN
            line := format('  due %s + %s business minutes = %s (%s)',
                           tuki.sla_explain_at(t.created_at, cal.tz), t.response_target,
                           tuki.sla_explain_at(t.response_due, cal.tz),
                           coalesce(tuki.sla_explain_days(cal.code, t.created_at, t.response_due), 'no open time'));
        ELSIF t.resolve_since IS NOT NULL THEN
            line := format('  due %s + (%s - %s used before) %s business minutes = %s (%s)',
                           tuki.sla_explain_at(t.resolve_since, cal.tz), t.resolve_target,
                           tuki.sla_explain_minutes(t.resolve_used),
                           tuki.sla_explain_minutes(t.resolve_target - t.resolve_used),
                           tuki.sla_explain_at(t.resolve_due, cal.tz),
                           coalesce(tuki.sla_explain_days(cal.code, t.resolve_since, t.resolve_due), 'no open time'));
        ELSIF s.stopped_at IS NOT NULL THEN
            line := format('  stopped %s, %s', tuki.sla_explain_at(s.stopped_at, cal.tz), s.state);
        ELSE
            line := format('  no deadline while paused: the %s minutes left count from when it resumes',
                           tuki.sla_explain_minutes(s.remaining));
        END IF;
        RETURN NEXT;
    END LOOP;
END
$$;
COMMENT ON FUNCTION tuki.sla_explain(bigint) IS 'Why a ticket''s SLA deadlines are what they are, as numbered lines (clock null for the ticket, contract and calendar lines, else response or resolve): the contract row and service level, the calendar''s opening hours and the holidays in range; for each clock the target from sla_target (service level and priority), every change of target with the time used kept, the stretches it ran and the pauses with their status, business minutes used and left (tuki.sla), and the deadline with the business minutes of each day that lead to it. Times in the calendar''s zone. Row-level security of the caller applies; TK006 for a ticket the caller cannot see.';

REVOKE EXECUTE ON FUNCTION tuki.sla_explain_minutes(numeric), tuki.sla_explain_at(timestamptz, text),
    tuki.sla_explain_days(text, timestamptz, timestamptz), tuki.sla_explain_hours(text), tuki.sla_explain(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tuki.sla_explain_minutes(numeric), tuki.sla_explain_at(timestamptz, text),
    tuki.sla_explain_days(text, timestamptz, timestamptz), tuki.sla_explain_hours(text), tuki.sla_explain(bigint)
    TO tuki_agent, tuki_readonly;

RESET ROLE;
