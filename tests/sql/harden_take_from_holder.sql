-- Issue 17, finding 2: only the holder or a lead takes a ticket from its holder. Escalating a
-- colleague's ticket once unassigned it with no lead check, so an agent could escalate it
-- away and back and take it. The rule is now one check in trigger ticket_before_update.
BEGIN;
SELECT plan(16);

\ir lib/as_role.psql

CREATE ROLE tt_holder LOGIN;
CREATE ROLE tt_other LOGIN;
CREATE ROLE tt_lead LOGIN;
SELECT tuki.agent_add('tt_holder', 'Hilkka Haltija', 'second_line');
SELECT tuki.agent_add('tt_other', 'Olli Muu', 'second_line');
SELECT tuki.agent_add('tt_lead', 'Lauri Liidi', 'second_line', true);
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('ACME', 'standard', '24x7', '2020-01-01');
CREATE TEMP TABLE k AS SELECT tuki.ticket_create('ACME', 'Pidetty', 'b') AS id, tuki.ticket_create('ACME', 'Vapaa', 'b') AS free;
CREATE FUNCTION pg_temp.held() RETURNS text LANGUAGE sql AS $$
    SELECT assignee || '/' || team FROM tuki.ticket WHERE id = (SELECT id FROM k) $$;

SELECT is(pg_temp.run_as('tt_holder', format('SELECT tuki.ticket_take(%s)', (SELECT id FROM k))), 'ok', 'the holder takes the ticket');

-- the attack of the finding, step by step
SELECT matches(pg_temp.err_as('tt_other', format($$SELECT tuki.ticket_escalate(%s, 'third_line')$$, (SELECT id FROM k))),
    '^TK005\|ticket #\d+ is held by tt_holder; only they or a lead may take it from them\|.+\|Ask tt_holder or a lead\.$',
    'another agent cannot escalate it away from its holder: TK005 with DETAIL and HINT');
SELECT is(pg_temp.held(), 'tt_holder/second_line', 'it is still the holder''s, in the same team');
SELECT is(pg_temp.run_as('tt_other', format('SELECT tuki.ticket_take(%s)', (SELECT id FROM k))), 'TK003', 'nor take it');
SELECT is(pg_temp.run_as('tt_other', format($$SELECT tuki.ticket_assign(%s, 'tt_other')$$, (SELECT id FROM k))), 'TK005', 'nor assign it to themself');
SELECT is(pg_temp.run_as('tt_other', format('SELECT tuki.ticket_release(%s)', (SELECT id FROM k))), 'TK005', 'nor release it');
SELECT is(pg_temp.held(), 'tt_holder/second_line', 'after all that it is still the holder''s');
SELECT is((SELECT count(*)::int FROM tuki.ticket_event e WHERE e.ticket = (SELECT id FROM k) AND e.actor = 'tt_other'), 0,
    'and the history has no step by the other agent');

-- the same rule for a DBA-granted raw UPDATE: the trigger, not the API, holds it
GRANT UPDATE ON tuki.ticket TO tt_other;
CREATE POLICY tt_raw ON tuki.ticket FOR UPDATE TO tt_other USING (true) WITH CHECK (true);
SELECT is(pg_temp.run_as('tt_other', format('UPDATE tuki.ticket SET assignee = NULL WHERE id = %s', (SELECT id FROM k))), 'TK005',
    'a raw UPDATE taking it from its holder is TK005 too');
DROP POLICY tt_raw ON tuki.ticket;
REVOKE UPDATE ON tuki.ticket FROM tt_other;

-- what stays allowed
SELECT is(pg_temp.run_as('tt_other', format($$SELECT tuki.ticket_escalate(%s, 'third_line')$$, (SELECT free FROM k))), 'ok',
    'anyone may escalate an unassigned ticket');
SELECT is(pg_temp.run_as('tt_holder', format($$SELECT tuki.ticket_escalate(%s, 'third_line')$$, (SELECT id FROM k))), 'ok',
    'the holder may escalate their own ticket');
SELECT is((SELECT coalesce(assignee, '-') || '/' || team FROM tuki.ticket WHERE id = (SELECT id FROM k)), '-/third_line',
    'which leaves it unassigned in the other team''s queue');
SELECT is(pg_temp.run_as('tt_other', format('SELECT tuki.ticket_take(%s)', (SELECT id FROM k))), 'ok', 'now anyone may take it');
SELECT is(pg_temp.run_as('tt_lead', format($$SELECT tuki.ticket_escalate(%s, 'second_line')$$, (SELECT id FROM k))), 'ok',
    'a lead may escalate someone else''s ticket');
SELECT is((SELECT coalesce(assignee, '-') || '/' || team FROM tuki.ticket WHERE id = (SELECT id FROM k)), '-/second_line',
    'which takes it from its holder');

-- the invariant over the whole history: every assign event that took a ticket from someone
-- was made by that someone or a lead
SELECT is((SELECT count(*)::int FROM tuki.ticket_event e
            WHERE e.kind = 'assign' AND e.detail ->> 'from' IS NOT NULL AND e.actor <> e.detail ->> 'from'
              AND NOT EXISTS (SELECT 1 FROM tuki.agent a WHERE a.login = e.actor AND a.is_lead)),
    0, 'no assign event took a ticket from its holder without them or a lead');

SELECT * FROM finish();
ROLLBACK;
