-- SLA rules that hold whoever writes: a late first reply is recorded as a breach once;
-- closing an unanswered ticket stops its response clock; and the bulk setting that
-- tuki.sla_recompute uses cannot switch the SLA triggers off for anyone else.
-- 24x7 calendar, standard P1 targets: response 60, resolve 480 minutes (migration 003).
BEGIN;
SELECT plan(9);

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

SELECT * FROM finish();
ROLLBACK;
