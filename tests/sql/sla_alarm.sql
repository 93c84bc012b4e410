-- The tickets in SLA alarm (tuki.sla_alarm_ids: the console's breaching filter and the sweep)
-- come from the stored instant each ticket's alarm starts, tuki.ticket.alarm_at. They
-- must be exactly the active tickets that tuki.sla, computed from the clocks, shows in warning
-- or breached: at many instants, on a calendar with office hours and one open around the
-- clock, for running, paused, answered and re-prioritised tickets, and after the warning
-- percent changes.
BEGIN;
SELECT plan(14);

CREATE FUNCTION pg_temp.at(ts timestamptz) RETURNS void LANGUAGE sql AS $$ SELECT set_config('tuki.now', ts::text, true) $$;

-- What differs between the two answers, as 'id:side' words; '' when they agree.
CREATE FUNCTION pg_temp.alarm_diff() RETURNS text LANGUAGE sql AS $$
    WITH stored AS (SELECT id FROM tuki.sla_alarm_ids() id),
         computed AS (SELECT DISTINCT s.ticket AS id FROM tuki.sla s JOIN tuki.ticket t ON t.id = s.ticket
                       WHERE t.is_active AND s.state IN ('warning', 'breached'))
    SELECT coalesce(string_agg(x.id || ':' || x.side, ' ' ORDER BY x.id), '')
      FROM ((SELECT id, 'only-stored' AS side FROM stored EXCEPT SELECT id, 'only-stored' FROM computed)
            UNION ALL
            (SELECT id, 'only-computed' FROM computed EXCEPT SELECT id, 'only-computed' FROM stored)) x
$$;
CREATE FUNCTION pg_temp.alarm_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM tuki.sla_alarm_ids() $$;

-- the administrator, whose clock may be moved, acts for the agent (tuki.actor)
CREATE ROLE tt_agent LOGIN;
SELECT tuki.agent_add('tt_agent', 'Aino Agentti', 'second_line') \g /dev/null
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy'), ('TATRA', 'Tatra Softvér s.r.o.');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES
    ('ACME', 'premium', 'fi-8-16', '2020-01-01'),
    ('TATRA', 'standard', '24x7', '2020-01-01');

-- 48 tickets created from 10 days to 29 hours ago (every 4.5 hours, seconds off the minute),
-- all priorities; as administrator, whose clock may be moved
SELECT pg_temp.at(now() - interval '10 days' + g * interval '4 hours 30 minutes 13 seconds')::text
       || tuki.ticket_create(CASE WHEN g % 2 = 0 THEN 'ACME' ELSE 'TATRA' END, 'alarm ' || g, 'help',
                             impact => 1 + g % 3, urgency => 1 + (g / 3) % 3)
  FROM generate_series(0, 47) g \g /dev/null
CREATE TEMP TABLE t AS SELECT id, row_number() OVER (ORDER BY id) AS n FROM tuki.ticket ORDER BY id;
SELECT is((SELECT count(*) FROM t), 48::bigint, '48 tickets');

-- a day before now, some are answered, some wait for the customer (paused), some change
-- priority, some are resolved
SELECT set_config('tuki.actor', 'tt_agent', true) \g /dev/null
SELECT pg_temp.at(now() - interval '1 day');
SELECT count(tuki.ticket_take(id)) FROM t WHERE n % 2 = 0 \g /dev/null
SELECT count(tuki.ticket_reply(id, 'looking')) FROM t WHERE n % 4 = 0 \g /dev/null
SELECT count(tuki.ticket_set_status(id, 'waiting_customer')) FROM t WHERE n % 6 = 2 \g /dev/null
SELECT count(tuki.ticket_set_priority(id, 1, 1)) FROM t WHERE n % 5 = 1 \g /dev/null
SELECT count(tuki.ticket_set_status(id, 'resolved', 'fixed')) FROM t WHERE n % 10 = 0 \g /dev/null
SELECT pg_temp.at(now() - interval '3 hours');
SELECT count(tuki.ticket_set_status(id, 'open')) FROM t WHERE n % 12 = 2 \g /dev/null
SELECT set_config('tuki.actor', '', true) \g /dev/null

SELECT is(pg_temp.alarm_diff(), '', 'now: the stored alarm positions give the tickets tuki.sla shows in warning or breached');
SELECT cmp_ok(pg_temp.alarm_count(), '>', 0::bigint, 'and some are in alarm');
SELECT cmp_ok(pg_temp.alarm_count(), '<', (SELECT count(*) FROM tuki.ticket WHERE is_active), 'and some are not');

SELECT pg_temp.at(now() - interval '2 hours 59 minutes');
SELECT is(pg_temp.alarm_diff(), '', 'a minute after the last change');
SELECT pg_temp.at(now() + interval '37 minutes');
SELECT is(pg_temp.alarm_diff(), '', 'in 37 minutes');
SELECT pg_temp.at(now() + interval '5 hours 3 minutes');
SELECT is(pg_temp.alarm_diff(), '', 'in five hours');
SELECT pg_temp.at(date_trunc('week', now()) + interval '12 days 14 hours');
SELECT is(pg_temp.alarm_diff(), '', 'on a Saturday afternoon, office calendar closed');
SELECT pg_temp.at(now() + interval '30 days');
SELECT is(pg_temp.alarm_diff(), '', 'in 30 days (everything running is breached; paused ones as they were)');
SELECT is((SELECT count(*) FROM tuki.ticket WHERE is_active AND (resolve_since IS NOT NULL OR responded_at IS NULL)
              AND id NOT IN (SELECT tuki.sla_alarm_ids())), 0::bigint,
          'in 30 days every ticket with a running clock is in alarm');

-- the warning percent moves every alarm
SELECT pg_temp.at(now() + interval '2 hours');
UPDATE tuki.setting SET value = '20' WHERE key = 'sla_warning_percent';
SELECT is(pg_temp.alarm_diff(), '', 'warning percent 20: the alarms move with it');
UPDATE tuki.setting SET value = '95' WHERE key = 'sla_warning_percent';
SELECT is(pg_temp.alarm_diff(), '', 'warning percent 95');

-- the sweep judges the tickets in alarm: what it records now is of them, and each of them has
-- its alert afterwards
SELECT pg_temp.at(now() + interval '3 hours');
CREATE TEMP TABLE mark AS SELECT max(id) AS id FROM tuki.ticket_event;
SELECT tuki.sla_sweep() \g /dev/null
SELECT is((SELECT count(*) FROM tuki.ticket_event e WHERE e.id > (SELECT id FROM mark)
             AND e.kind IN ('sla_warning', 'sla_breach') AND e.ticket NOT IN (SELECT tuki.sla_alarm_ids())),
          0::bigint, 'the sweep records alerts of tickets in alarm only');
SELECT is((SELECT count(*) FROM tuki.sla_alarm_ids() id WHERE NOT EXISTS (SELECT 1 FROM tuki.sla_alert a WHERE a.ticket = id)),
          0::bigint, 'and every ticket in alarm has its alert');

SELECT * FROM finish();
ROLLBACK;
