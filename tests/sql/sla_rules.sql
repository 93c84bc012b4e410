-- SLA rules that hold whoever writes: a late first reply is recorded as a breach once;
-- closing an unanswered ticket stops its response clock; the bulk setting that
-- tuki.sla_recompute uses cannot switch the SLA triggers off for anyone else (neither the
-- row trigger nor the statement trigger's events and alert pass); only administrators may
-- run tuki.sla_recompute itself; and a deadline that falls at closing time is not breached
-- until the calendar opens again (breached means more business time used than the target,
-- for the alerts exactly as for tuki.sla).
-- 24x7 calendar, standard P1 targets: response 60, resolve 480 minutes (migration 003).
BEGIN;
SELECT plan(26);

\ir lib/as_role.psql

CREATE FUNCTION pg_temp.at(ts text) RETURNS void LANGUAGE sql AS $$ SELECT set_config('tuki.now', ts, true) $$;
CREATE TEMP TABLE ids (name text PRIMARY KEY, id bigint NOT NULL);
GRANT SELECT ON ids TO PUBLIC;
CREATE FUNCTION pg_temp.t(n text) RETURNS bigint LANGUAGE sql AS $$ SELECT id FROM ids WHERE name = n $$;

CREATE ROLE tt_agent LOGIN;
CREATE ROLE tt_lead LOGIN;
SELECT tuki.agent_add('tt_agent', 'Aino Agentti', 'second_line');
SELECT tuki.agent_add('tt_lead', 'Leena Liidi', 'second_line', true);
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('ACME', 'standard', '24x7', '2020-01-01');

-- Agents act on the real clock (only administrators may move it), so tickets are created
-- back-dated by the administrator and answered now.
-- A late first reply: created two days ago, answered now (about 2880 min > 60).
SELECT set_config('tuki.now', (now() - interval '2 days')::text, true);
INSERT INTO ids SELECT 'late', tuki.ticket_create('ACME', 'Late', 'help', impact => 1, urgency => 1);
SELECT set_config('tuki.now', '', true);
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_reply(%s, %L)', pg_temp.t('late'), 'Sorry')), 'ok',
          'the agent replies two days late');
SELECT results_eq($$ SELECT state, round(used) FROM tuki.sla WHERE ticket = pg_temp.t('late') AND target = 'response' $$,
                  $$ VALUES ('missed', 2880::numeric) $$,
                  'the response clock stopped at the reply: missed after 2880 minutes');
SELECT is((SELECT count(*) FROM tuki.ticket_event WHERE ticket = pg_temp.t('late') AND kind = 'sla_breach'
             AND detail->>'target' = 'response'), 1::bigint,
          'the late reply is recorded as a response breach, once');
SELECT tuki.sla_sweep();
SELECT is((SELECT count(*) FROM tuki.ticket_event WHERE ticket = pg_temp.t('late') AND kind = 'sla_breach'
             AND detail->>'target' = 'response'), 1::bigint,
          'a sweep afterwards does not record it again');

-- Closing unanswered (a lead's new -> closed, e.g. spam): the response clock stops there.
SELECT set_config('tuki.now', (now() - interval '30 minutes')::text, true);
INSERT INTO ids SELECT 'spam', tuki.ticket_create('ACME', 'Spam', 'buy now', impact => 3, urgency => 3);
SELECT set_config('tuki.now', '', true);
SELECT is(pg_temp.run_as('tt_lead', format('SELECT tuki.ticket_set_status(%s, %L)', pg_temp.t('spam'), 'closed')), 'ok',
          'a lead closes the unanswered ticket after 30 minutes');
SELECT set_config('tuki.now', (now() + interval '7 days')::text, true);
SELECT results_eq($$ SELECT state, round(used) FROM tuki.sla WHERE ticket = pg_temp.t('spam') AND target = 'response' $$,
                  $$ VALUES ('met', 30::numeric) $$,
                  'a week later its response clock still says 30 minutes, met: it stopped at closing');
SELECT set_config('tuki.now', '', true);

-- tuki.sla_bulk from an agent's session changes nothing.
INSERT INTO ids SELECT 'bulk', pg_temp.val_as('tt_agent', $q$
    SELECT tuki.ticket_create('ACME', 'Bulk trick', 'x', impact => 1, urgency => 1)
      FROM (SELECT set_config('tuki.sla_bulk', 'on', false)) AS switched_on $q$)::bigint;
SELECT is(current_setting('tuki.sla_bulk', true), 'on', 'the agent did set tuki.sla_bulk (it stays for the session)');
SELECT ok((SELECT response_due IS NOT NULL AND resolve_due IS NOT NULL FROM tuki.ticket WHERE id = pg_temp.t('bulk')),
          'its clocks started all the same');
SELECT set_config('tuki.sla_bulk', '', false);
SELECT is((SELECT count(*) FROM tuki.ticket_event WHERE ticket = pg_temp.t('bulk') AND kind = 'sla_recalc'), 1::bigint,
          'and the recalculation is in its history');


-- The same setting does not change what the statement trigger writes either: a late reply by an
-- agent who switched it on is still recorded as a breach at once, and a pause is still a pause.
SELECT set_config('tuki.now', (now() - interval '3 hours')::text, true);
INSERT INTO ids SELECT 'bulk2', tuki.ticket_create('ACME', 'Bulk trick 2', 'x', impact => 1, urgency => 1);
SELECT set_config('tuki.now', '', true);
SELECT is(pg_temp.run_as('tt_agent', format($q$SELECT tuki.ticket_take(%s) FROM (SELECT set_config('tuki.sla_bulk', 'on', true)) s$q$,
                                            pg_temp.t('bulk2'))), 'ok', 'the agent takes a ticket with tuki.sla_bulk on');
SELECT is(pg_temp.run_as('tt_agent', format($q$SELECT tuki.ticket_reply(%s, 'late') FROM (SELECT set_config('tuki.sla_bulk', 'on', true)) s$q$,
                                            pg_temp.t('bulk2'))), 'ok', 'and replies three hours late, still with it on');
SELECT is(pg_temp.run_as('tt_agent', format($q$SELECT tuki.ticket_set_status(%s, 'waiting_customer') FROM (SELECT set_config('tuki.sla_bulk', 'on', true)) s$q$,
                                            pg_temp.t('bulk2'))), 'ok', 'and waits for the customer, still with it on');
SELECT set_config('tuki.sla_bulk', '', true);
SELECT is((SELECT count(*) FROM tuki.ticket_event WHERE ticket = pg_temp.t('bulk2') AND kind = 'sla_breach'
             AND detail->>'target' = 'response'), 1::bigint,
          'the late reply is recorded as a response breach at once: the alert pass was not skipped');
SELECT is((SELECT detail->>'reason' FROM tuki.ticket_event WHERE ticket = pg_temp.t('bulk2') AND kind = 'sla_recalc'
             ORDER BY id DESC LIMIT 1), 'pause',
          'the pause is an sla_recalc event with reason pause, not a bulk recompute');

-- A lead cannot run the bulk rewrite (for anyone but an administrator it would do nothing);
-- the owner can.
SELECT is(pg_temp.run_as('tt_lead', 'SELECT tuki.sla_recompute()'), '42501',
          'a lead may not call tuki.sla_recompute (permission denied)');


-- Deadline at closing time (fi-8-16, Helsinki = UTC+2 in November). Standard P1: response 60.
-- Created Thursday 2026-11-19 15:00 local (13:00 UTC): due 16:00 local, the closing time.
INSERT INTO tuki.customer (code, name) VALUES ('HKI', 'Helsingin Testi Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('HKI', 'standard', 'fi-8-16', '2020-01-01');
SELECT pg_temp.at('2026-11-19 13:00+00');
INSERT INTO ids SELECT 'closing1', tuki.ticket_create('HKI', 'Closing 1', 'x', impact => 1, urgency => 1);
INSERT INTO ids SELECT 'closing2', tuki.ticket_create('HKI', 'Closing 2', 'x', impact => 1, urgency => 1);
SELECT is((SELECT response_due FROM tuki.ticket WHERE id = pg_temp.t('closing1')), '2026-11-19 14:00+00'::timestamptz,
          'a P1 created an hour before closing is due at closing time, 16:00 local');
-- the evening sweep: the whole hour used, nothing more, so not breached
SELECT pg_temp.at('2026-11-19 21:00+00');
SELECT tuki.sla_sweep();
SELECT is((SELECT count(*) FROM tuki.ticket_event WHERE ticket = pg_temp.t('closing1') AND kind = 'sla_breach'), 0::bigint,
          'a sweep in the evening records no breach: no business time past the target yet');
SELECT is((SELECT state FROM tuki.sla WHERE ticket = pg_temp.t('closing1') AND target = 'response'), 'warning',
          'and tuki.sla agrees: warning, all of the target used but not more');
-- a reply before opening the next morning is in time
SELECT pg_temp.at('2026-11-20 05:30+00');
SELECT tuki.ticket_reply(pg_temp.t('closing2'), 'Answered before opening');
SELECT is((SELECT count(*) FROM tuki.ticket_event WHERE ticket = pg_temp.t('closing2') AND kind = 'sla_breach'), 0::bigint,
          'a first reply at 07:30 the next morning, before opening, records no breach');
SELECT is((SELECT state FROM tuki.sla WHERE ticket = pg_temp.t('closing2') AND target = 'response'), 'met',
          'and its response target is met');
-- one minute after opening the unanswered one is breached, and recorded once
SELECT pg_temp.at('2026-11-20 06:01+00');
SELECT tuki.sla_sweep();
SELECT tuki.sla_sweep();
SELECT is((SELECT count(*) FROM tuki.ticket_event WHERE ticket = pg_temp.t('closing1') AND kind = 'sla_breach'
             AND detail->>'target' = 'response'), 1::bigint,
          'a minute after opening the next day the breach is recorded, once');
SELECT is((SELECT state FROM tuki.sla WHERE ticket = pg_temp.t('closing1') AND target = 'response'), 'breached',
          'as tuki.sla says: breached');

-- A clock that pauses or stops is judged at that moment, with no sweep in between: the
-- resolution clock's warning and breach are recorded when it pauses (waiting_customer) or
-- stops (resolved), at that time. 24x7 standard P1: resolve 480 minutes, warning at 360.
-- Each is answered after 10 minutes, so only the resolution clock can be in alarm.
CREATE FUNCTION pg_temp.alerts(n text) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(e.kind || ' ' || (e.detail->>'target') || ' ' || to_char(e.at AT TIME ZONE 'UTC', 'HH24:MI'),
                               ', ' ORDER BY e.id), '')
      FROM tuki.ticket_event e WHERE e.ticket = pg_temp.t(n) AND e.kind IN ('sla_warning', 'sla_breach') $$;
SELECT pg_temp.at('2026-11-23 08:00+00');
INSERT INTO ids SELECT 'paused_late', tuki.ticket_create('ACME', 'Paused late', 'x', impact => 1, urgency => 1);
INSERT INTO ids SELECT 'paused_warn', tuki.ticket_create('ACME', 'Paused in warning', 'x', impact => 1, urgency => 1);
INSERT INTO ids SELECT 'resolved_late', tuki.ticket_create('ACME', 'Resolved late', 'x', impact => 1, urgency => 1);
INSERT INTO ids SELECT 'swept_warn', tuki.ticket_create('ACME', 'Warned by the sweep', 'x', impact => 1, urgency => 1);
SELECT pg_temp.at('2026-11-23 08:10+00');
SELECT tuki.ticket_reply(id, 'Looking') FROM ids WHERE name IN ('paused_late', 'paused_warn', 'resolved_late', 'swept_warn');
SELECT pg_temp.at('2026-11-23 14:40+00');   -- 400 minutes used: warning
SELECT tuki.ticket_set_status(pg_temp.t('paused_warn'), 'waiting_customer');
SELECT tuki.sla_record_alerts(ARRAY[pg_temp.t('swept_warn')]);   -- the sweep's pass, for this one
SELECT pg_temp.at('2026-11-23 16:20+00');   -- 500 minutes used: breached
SELECT tuki.ticket_set_status(pg_temp.t('paused_late'), 'waiting_customer');
SELECT tuki.ticket_set_status(pg_temp.t('swept_warn'), 'waiting_customer');
SELECT tuki.ticket_set_status(pg_temp.t('resolved_late'), 'resolved', 'Fixed');
SELECT is(pg_temp.alerts('paused_warn'), 'sla_warning resolve 14:40',
          'pausing a clock past its warning records the warning, when it pauses');
SELECT is(pg_temp.alerts('paused_late'), 'sla_warning resolve 16:20, sla_breach resolve 16:20',
          'pausing a clock past its target records the warning and the breach, when it pauses');
SELECT is(pg_temp.alerts('resolved_late'), 'sla_breach resolve 16:20',
          'resolving past the target records the breach (a resolved ticket has no warning)');
SELECT is(pg_temp.alerts('swept_warn'), 'sla_warning resolve 14:40, sla_breach resolve 16:20',
          'a clock whose warning a sweep recorded gets its breach recorded when it pauses past the target');
SELECT pg_temp.at('');

SELECT * FROM finish();
ROLLBACK;
