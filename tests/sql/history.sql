-- The history: tuki.ticket_event refuses UPDATE, DELETE and TRUNCATE for every role; no client inserts
-- into it; each API call records the expected events with the acting login as actor.
BEGIN;
SELECT plan(81);

\ir lib/as_role.psql

CREATE ROLE tt_agent LOGIN;
CREATE ROLE tt_agent2 LOGIN;
CREATE ROLE tt_lead LOGIN;
CREATE ROLE tt_ro LOGIN IN ROLE tuki_readonly;
CREATE ROLE tt_cust LOGIN IN ROLE tuki_customer;
SELECT tuki.agent_add('tt_agent', 'Aino Agentti', 'second_line');
SELECT tuki.agent_add('tt_agent2', 'Jozef Novák', 'second_line');
SELECT tuki.agent_add('tt_lead', 'Lauri Liidi', 'second_line', true);
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('ACME', 'standard', 'fi-8-16', '2020-01-01');
INSERT INTO tuki.contact (customer, name, email, may_order_billable, login)
VALUES ('ACME', 'Päivi Mäkelä', 'paivi@acme.fi', true, 'tt_cust');
SELECT tuki.ticket_create('ACME', 'seed', 'body');

-- the owner and a superuser reach the triggers: TK002
SELECT is(pg_temp.run_as(w, q), 'TK002', format('%s as %s is refused with TK002', op, w))
  FROM (VALUES ('tuki_owner'), ('postgres')) r(w),
       (VALUES ('UPDATE', 'UPDATE tuki.ticket_event SET kind = ''forged'''),
               ('DELETE', 'DELETE FROM tuki.ticket_event'),
               ('TRUNCATE', 'TRUNCATE tuki.ticket_event'),
               ('TRUNCATE CASCADE of tuki.ticket', 'TRUNCATE tuki.ticket CASCADE')) o(op, q);
-- client roles do not even have the privilege
SELECT is(pg_temp.run_as(w, q), '42501', format('%s as %s is refused (no privilege)', op, w))
  FROM (VALUES ('tt_agent'), ('tt_lead'), ('tt_ro'), ('tt_cust')) r(w),
       (VALUES ('UPDATE', 'UPDATE tuki.ticket_event SET kind = ''forged'''),
               ('DELETE', 'DELETE FROM tuki.ticket_event'),
               ('TRUNCATE', 'TRUNCATE tuki.ticket_event'),
               ('INSERT', format('INSERT INTO tuki.ticket_event (ticket, kind) VALUES (%s, ''forged'')', (SELECT min(id) FROM tuki.ticket)))) o(op, q);
-- and were the privileges granted by mistake, the triggers still refuse
GRANT UPDATE, DELETE, TRUNCATE ON tuki.ticket_event TO tt_agent, tt_lead, tt_ro, tt_cust;
CREATE POLICY tt_all ON tuki.ticket_event FOR ALL TO tt_agent, tt_lead, tt_ro, tt_cust USING (true) WITH CHECK (true);
SELECT is(pg_temp.run_as(w, q), 'TK002', format('%s as %s with a mistaken GRANT is still TK002', op, w))
  FROM (VALUES ('tt_agent'), ('tt_lead'), ('tt_ro'), ('tt_cust')) r(w),
       (VALUES ('UPDATE', 'UPDATE tuki.ticket_event SET kind = ''forged'''),
               ('DELETE', 'DELETE FROM tuki.ticket_event'),
               ('TRUNCATE', 'TRUNCATE tuki.ticket_event')) o(op, q);
DROP POLICY tt_all ON tuki.ticket_event;
REVOKE UPDATE, DELETE, TRUNCATE ON tuki.ticket_event FROM tt_agent, tt_lead, tt_ro, tt_cust;
SELECT is((SELECT count(*)::int FROM tuki.ticket_event WHERE kind = 'forged'), 0, 'no event was forged');

-- messages are history too
SELECT is(pg_temp.run_as('tuki_owner', 'UPDATE tuki.message SET body = ''rewritten'''), 'TK002', 'the owner cannot edit a message');
SELECT is(pg_temp.run_as('tuki_owner', 'DELETE FROM tuki.message'), 'TK002', 'the owner cannot delete a message');
SELECT is(pg_temp.run_as(w, 'TRUNCATE tuki.message CASCADE'), 'TK002', format('%s cannot truncate the messages', w))
  FROM (VALUES ('tuki_owner'), ('postgres')) r(w);

-- and so are the tickets themselves: closed, never deleted, so no event loses its ticket
-- (TRUNCATE tuki.ticket CASCADE is refused above)
SELECT is(pg_temp.run_as(w, format('DELETE FROM tuki.ticket WHERE id = %s', (SELECT min(id) FROM tuki.ticket))),
          'TK002', format('DELETE of a ticket as %s is refused with TK002', w))
  FROM (VALUES ('tuki_owner'), ('postgres')) r(w);
SELECT is((SELECT count(*)::int FROM tuki.ticket), 1, 'the ticket is still there');
-- one refusal serves the three tables, each saying what it refused
SELECT throws_like($$UPDATE tuki.ticket_event SET kind = 'forged'$$, 'the ticket history is append-only (UPDATE refused)',
                   'the history''s refusal names the history');
SELECT throws_like($$DELETE FROM tuki.message$$, 'messages cannot be changed or deleted (DELETE refused)',
                   'a message''s refusal names messages');
SELECT throws_like($$DELETE FROM tuki.ticket$$, 'tickets are never deleted (DELETE refused)',
                   'a ticket''s refusal says tickets are never deleted');

-- an event needs its ticket (a trigger checks what a foreign key would, a statement at once)
SELECT is(pg_temp.run_as('tuki_owner', 'INSERT INTO tuki.ticket_event (ticket, kind) VALUES (987654321, ''manual'')'),
    '23503', 'an event for a ticket that does not exist is refused as a foreign key would (23503)');
SELECT is(pg_temp.run_as('tuki_owner', format('INSERT INTO tuki.ticket_event (ticket, kind) VALUES (%s, ''manual''), (987654321, ''manual'')',
                                              (SELECT min(id) FROM tuki.ticket))),
    '23503', 'one orphan among good events fails the whole statement ...');
SELECT is((SELECT count(*)::int FROM tuki.ticket_event WHERE kind = 'manual'), 0, '... and writes none of them');
SELECT throws_like(
    $$INSERT INTO tuki.ticket_event (ticket, kind) VALUES (987654321, 'manual')$$,
    'ticket #987654321 does not exist%', 'the error names the missing ticket');
-- whoever inserts an event, actor and time are the desk's
SELECT is(pg_temp.run_as('tuki_owner', format('INSERT INTO tuki.ticket_event (ticket, actor, at, kind) VALUES (%s, ''someone_else'', ''2001-01-01'', ''manual'')', (SELECT min(id) FROM tuki.ticket))),
    'ok', 'the owner may add an event ...');
SELECT is((SELECT actor || ' ' || (at > now() - interval '1 hour') FROM tuki.ticket_event WHERE kind = 'manual'), 'tuki_owner true',
    '... stamped with its own name and the time, not what it wrote');

-- every API call and its events, with the acting login as actor
CREATE TEMP TABLE tk (id bigint);
-- the kinds this schema records; the SLA clocks (migrations 010+) add their own, not checked here
CREATE TEMP TABLE core_kinds AS SELECT unnest(ARRAY['created', 'customer_message', 'status', 'assign', 'escalate', 'priority',
                                                    'responded', 'edit', 'reply', 'note', 'worklog']) AS kind;
SELECT is(pg_temp.val_as('tt_agent', $$SELECT tuki.ticket_create('ACME', 'Tulostin ei tulosta', 'Paperi jumissa', 'incident', 2, 2, 'paivi@acme.fi', 'phone')$$)
          ~ '^\d+$', true, 'an agent creates a ticket');
INSERT INTO tk SELECT max(id) FROM tuki.ticket;
CREATE FUNCTION pg_temp.events_since(n bigint) RETURNS TABLE (actor text, kind text, d text) LANGUAGE sql AS $$
    SELECT e.actor, e.kind, concat_ws(',', e.detail->>'from', e.detail->>'to')
      FROM tuki.ticket_event e WHERE e.ticket = (SELECT id FROM tk) AND e.id > n AND e.kind IN (SELECT kind FROM core_kinds) ORDER BY e.id $$;
CREATE TEMP TABLE mark AS SELECT 0::bigint AS n;
CREATE FUNCTION pg_temp.step(who text, q text, expected text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; got text;
BEGIN
    r := pg_temp.run_as(who, replace(q, '$ID', (SELECT id FROM tk)::text));
    SELECT string_agg(concat_ws(':', e.actor, e.kind, nullif(e.d, '')), ' ') INTO got FROM pg_temp.events_since((SELECT n FROM mark)) e;
    UPDATE mark SET n = (SELECT max(id) FROM tuki.ticket_event);
    RETURN r || ' => ' || coalesce(got, '');
END $$;

SELECT is(string_agg(concat_ws(':', actor, kind, nullif(d, '')), ' '), 'tt_agent:created tt_agent:customer_message',
          'ticket_create: created and the request as customer_message, by the agent') FROM pg_temp.events_since(0);
UPDATE mark SET n = (SELECT max(id) FROM tuki.ticket_event);
SELECT is(pg_temp.step('tt_agent', 'SELECT tuki.ticket_take($ID)', ''), 'ok => tt_agent:status:new,open tt_agent:assign:tt_agent', 'ticket_take');
SELECT is(pg_temp.step('tt_agent', 'SELECT tuki.ticket_take($ID)', ''), 'ok => ', 'taking your own ticket again changes nothing');
SELECT is(pg_temp.step('tt_agent2', 'SELECT tuki.ticket_take($ID)', ''), 'TK003 => ', 'another agent cannot take it: TK003, no events');
SELECT is(pg_temp.step('tt_agent', 'SELECT tuki.ticket_note($ID, ''soitin asiakkaalle'')', ''), 'ok => tt_agent:note', 'ticket_note');
SELECT is(pg_temp.step('tt_agent', 'SELECT tuki.ticket_reply($ID, ''Hei Päivi'')', ''), 'ok => tt_agent:reply tt_agent:responded', 'first ticket_reply: reply and responded');
SELECT is(pg_temp.step('tt_agent', 'SELECT tuki.ticket_reply($ID, ''Vielä yksi'')', ''), 'ok => tt_agent:reply', 'second ticket_reply: reply only');
SELECT is(pg_temp.step('tt_agent', 'SELECT tuki.ticket_set_priority($ID, 1, 1)', ''), 'ok => tt_agent:priority:3,1', 'ticket_set_priority');
SELECT is(pg_temp.step('tt_agent', 'SELECT tuki.worklog_add($ID, 45, true, ''vaihdoin rullan'')', ''), 'ok => tt_agent:worklog', 'worklog_add');
SELECT is(pg_temp.step('tt_agent', 'SELECT tuki.ticket_escalate($ID, ''third_line'')', ''), 'ok => tt_agent:assign:tt_agent tt_agent:escalate:second_line,third_line', 'ticket_escalate');
SELECT is(pg_temp.step('tt_lead', 'SELECT tuki.ticket_assign($ID, ''tt_agent2'')', ''), 'ok => tt_lead:assign:tt_agent2', 'ticket_assign by a lead');
SELECT is(pg_temp.step('tt_agent2', 'SELECT tuki.ticket_release($ID)', ''), 'ok => tt_agent2:assign:tt_agent2', 'ticket_release');
SELECT is(pg_temp.step('tt_agent2', 'SELECT tuki.ticket_set_status($ID, ''waiting_customer'', ''kysyin mallin'')', ''),
    'ok => tt_agent2:note tt_agent2:status:open,waiting_customer', 'ticket_set_status with a note: the note, then the move');
SELECT is(pg_temp.step('tt_agent', 'SELECT tuki.ticket_set_status($ID, ''resolved'', ''Rulla vaihdettu'')', ''),
    'ok => tt_agent:status:waiting_customer,resolved', 'resolving');
SELECT is((SELECT detail->>'resolution' FROM tuki.ticket_event WHERE ticket = (SELECT id FROM tk) AND kind = 'status' ORDER BY id DESC LIMIT 1),
    'Rulla vaihdettu', 'the resolution note is in the status event');
SELECT is(pg_temp.step('tt_lead', 'SELECT tuki.ticket_set_status($ID, ''closed'')', ''), 'ok => tt_lead:status:resolved,closed', 'closing');
SELECT is(pg_temp.step('postgres', 'UPDATE tuki.ticket SET fix_version = ''2.4.1'' WHERE id = $ID', ''), 'TK008 => ', 'even a DBA cannot touch a closed ticket');

-- raw changes by a DBA are history too, under the DBA's name
SELECT tuki.ticket_create('ACME', 'raw', 'body');
UPDATE tk SET id = (SELECT max(id) FROM tuki.ticket);
UPDATE mark SET n = (SELECT max(id) FROM tuki.ticket_event);
SELECT is(pg_temp.step('postgres', 'UPDATE tuki.ticket SET subject = ''raw, edited'', status = ''open'' WHERE id = $ID', ''),
    'ok => postgres:status:new,open postgres:edit', 'a DBA''s raw UPDATE is recorded under the DBA''s name');
SELECT is((SELECT detail FROM tuki.ticket_event WHERE ticket = (SELECT id FROM tk) AND kind = 'edit'),
    '{"subject": {"to": "raw, edited", "from": "raw"}}'::jsonb, 'the edit event says what changed');

-- the clock: only administrators can move it, and everything follows it
SET tuki.now = '2025-03-03 09:15:00+02';
SELECT is(tuki.now(), '2025-03-03 09:15:00+02'::timestamptz, 'a superuser moves tuki.now()');
SELECT is(pg_temp.val_as('tt_lead', 'SELECT tuki.now() = now()'), 'true', 'a lead cannot: tuki.now() stays real for others');
SELECT tuki.ticket_create('ACME', 'back-dated', 'body');
UPDATE tk SET id = (SELECT max(id) FROM tuki.ticket);
SELECT is((SELECT created_at FROM tuki.ticket WHERE id = (SELECT id FROM tk)), '2025-03-03 09:15:00+02'::timestamptz, 'created_at follows the clock');
SELECT is((SELECT count(*)::int FROM tuki.ticket_event WHERE ticket = (SELECT id FROM tk) AND at = '2025-03-03 09:15:00+02'),
          (SELECT count(*)::int FROM tuki.ticket_event WHERE ticket = (SELECT id FROM tk)), 'so do the events');
SELECT is((SELECT at FROM tuki.message WHERE ticket = (SELECT id FROM tk)), '2025-03-03 09:15:00+02'::timestamptz, 'and the messages');
SELECT is(pg_temp.val_as('tt_agent', format('SELECT tuki.ticket_create(%L, %L, %L)', 'ACME', 'not back-dated', 'b')) ~ '^\d+$', true, 'an agent creates one');
SELECT ok((SELECT created_at > now() - interval '1 hour' FROM tuki.ticket WHERE id = (SELECT max(id) FROM tuki.ticket)),
    'with the real time, though tuki.now is set in the session');
RESET tuki.now;

-- The orphan check keeps its plan for the session: after a statement of many events, a
-- one-event statement must still look its ticket up in ticket_pkey, not read the whole table
-- (a hash join planned for the big one did, for every later statement).
INSERT INTO tuki.ticket_event (ticket, kind) SELECT t.id, 'probe' FROM tuki.ticket t, generate_series(1, 500);
CREATE TEMP TABLE scans AS SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relid = 'tuki.ticket'::regclass;
INSERT INTO tuki.ticket_event (ticket, kind) VALUES ((SELECT min(id) FROM tk), 'probe');
SELECT is((SELECT x.seq_scan - s.seq_scan FROM pg_stat_xact_user_tables x, scans s WHERE x.relid = 'tuki.ticket'::regclass),
          0::bigint, 'after a statement of many events, one more event is checked without reading the whole ticket table');

SELECT * FROM finish();
ROLLBACK;
