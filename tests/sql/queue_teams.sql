-- Teams in the console's queue (tuki.queue_filter): filter team:T and type:T, the default
-- view home (the agent's own team's tickets plus their own), and tuki.queue_filter_arg, which
-- refuses an unknown team, type or status (TK006 naming the valid ones) instead of an empty list.
BEGIN;
SELECT plan(16);

\ir lib/as_role.psql

CREATE ROLE tq_second LOGIN IN ROLE tuki_agent;
CREATE ROLE tq_third LOGIN IN ROLE tuki_agent;
CREATE ROLE tq_free LOGIN IN ROLE tuki_agent;
CREATE ROLE tq_cust LOGIN IN ROLE tuki_customer;
SELECT tuki.agent_add('tq_second', 'Sanna Second', 'second_line');
SELECT tuki.agent_add('tq_third', 'Tero Third', 'third_line');
SELECT tuki.agent_add('tq_free', 'Frida Free', NULL);
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('ACME', 'standard', '24x7', '2020-01-01');
INSERT INTO tuki.contact (customer, name, email, login) VALUES ('ACME', 'Päivi Mäkelä', 'paivi@acme.fi', 'tq_cust');

CREATE TEMP TABLE t (name text PRIMARY KEY, id bigint);
GRANT SELECT ON t TO PUBLIC;
INSERT INTO t VALUES
    ('second',  tuki.ticket_create('ACME', 'Second line incident', 'x', 'incident')),
    ('third',   tuki.ticket_create('ACME', 'Third line bug', 'x', 'bug')),
    ('held',    tuki.ticket_create('ACME', 'Held by second, now third line', 'x', 'question')),
    ('dev',     tuki.ticket_create('ACME', 'Development problem', 'x', 'problem'));
SELECT is(pg_temp.run_as('tq_second', format('SELECT tuki.ticket_take(%s)', (SELECT id FROM t WHERE name = 'held'))), 'ok',
    'setup: the second-line agent takes a ticket');
SELECT tuki.ticket_escalate((SELECT id FROM t WHERE name = 'third'), 'third_line');
SELECT tuki.ticket_escalate((SELECT id FROM t WHERE name = 'dev'), 'development');
-- escalating unassigns; the holder keeps this one by taking it again in its new team
SELECT tuki.ticket_escalate((SELECT id FROM t WHERE name = 'held'), 'third_line');
SELECT is(pg_temp.run_as('tq_second', format('SELECT tuki.ticket_assign(%s, ''tq_second'')', (SELECT id FROM t WHERE name = 'held'))), 'ok',
    'setup: and holds it in the third line');

-- the names of the tickets a filter shows, as who
CREATE FUNCTION pg_temp.shown(who text, kind text, arg text) RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.val_as(who, format(
        'SELECT string_agg(t.name, '','' ORDER BY t.name) FROM tuki.queue_filter(%L, %L) q JOIN pg_temp.t t ON t.id = q.id',
        kind, arg)) $$;

SELECT is(pg_temp.shown('tq_second', 'team', 'third_line'), 'held,third', 'team:third_line shows the third line''s tickets');
SELECT is(pg_temp.shown('tq_second', 'team', 'development'), 'dev', 'team:development shows development''s');
SELECT is(pg_temp.shown('tq_second', 'type', 'bug'), 'third', 'type:bug shows the bugs, whatever their team');
SELECT is(pg_temp.shown('tq_second', 'home', NULL), 'held,second',
    'home for a second-line agent: the second line''s tickets plus the one they hold in the third line');
SELECT is(pg_temp.shown('tq_third', 'home', NULL), 'held,third', 'home for a third-line agent: the third line''s tickets');
SELECT is(pg_temp.shown('tq_free', 'home', NULL), 'dev,held,second,third', 'home for an agent of no team: every team');

-- the argument as the schema spells it, or TK006 naming the valid values
SELECT is(pg_temp.val_as('tq_second', $$SELECT tuki.queue_filter_arg('team', ' Third_Line ')$$), 'third_line',
    'a team in any case, blanks trimmed');
SELECT is(pg_temp.val_as('tq_second', $$SELECT tuki.queue_filter_arg('type', 'BUG')$$), 'bug', 'a type in any case');
SELECT is(pg_temp.err_as('tq_second', $$SELECT tuki.queue_filter_arg('team', 'fourth_line')$$),
    'TK006|no team fourth_line|Valid: development, second_line, third_line.|filter team:NAME takes one of them; Tab completes it.',
    'an unknown team is TK006 naming the teams');
SELECT is(pg_temp.err_as('tq_second', $$SELECT tuki.queue_filter_arg('type', 'bugs')$$),
    'TK006|no type bugs|Valid: bug, change, incident, problem, question, service_request.|filter type:NAME takes one of them; Tab completes it.',
    'an unknown type is TK006 naming the types');
SELECT is(split_part(pg_temp.err_as('tq_second', $$SELECT tuki.queue_filter_arg('status', 'opened')$$), '|', 1), 'TK006',
    'an unknown status is TK006');
SELECT is(split_part(pg_temp.err_as('tq_second', $$SELECT tuki.queue_filter_arg('mine', 'x')$$), '|', 1), 'TK006',
    'a filter kind without an argument is TK006');

-- grants: agents yes, customers no
SELECT ok(has_function_privilege('tuki_agent', 'tuki.queue_filter_arg(text, text)', 'EXECUTE'), 'agents may check a filter''s argument');
SELECT is(pg_temp.run_as('tq_cust', $$SELECT tuki.queue_filter_arg('team', 'third_line')$$), '42501', 'customers may not');

SELECT * FROM finish();
ROLLBACK;
