-- The lifecycle: the full status x status matrix through the API and through raw UPDATEs,
-- as an agent, a lead and the schema owner (and a superuser DBA for raw UPDATEs); timestamps,
-- resolution notes, closed is final, priority from the matrix.
BEGIN;
SELECT plan(259);

\ir lib/as_role.psql

CREATE ROLE tt_agent LOGIN;
CREATE ROLE tt_lead LOGIN;
SELECT tuki.agent_add('tt_agent', 'Aino Agentti', 'second_line');
SELECT tuki.agent_add('tt_lead', 'Lauri Liidi', 'second_line', true);
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('ACME', 'standard', 'fi-8-16', '2020-01-01');

-- a fresh ticket walked (as the superuser) to the given status
CREATE FUNCTION pg_temp.ticket_in(st text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE id bigint := tuki.ticket_create('ACME', 'matrix ' || st, 'body');
        step text;
BEGIN
    FOREACH step IN ARRAY CASE st
        WHEN 'new' THEN '{}'::text[] WHEN 'open' THEN '{open}' WHEN 'waiting_customer' THEN '{open,waiting_customer}'
        WHEN 'waiting_third_party' THEN '{open,waiting_third_party}' WHEN 'resolved' THEN '{resolved}'
        WHEN 'closed' THEN '{resolved,closed}' END
    LOOP
        PERFORM tuki.ticket_set_status(id, step, 'walked');
    END LOOP;
    RETURN id;
END $$;

-- one case: move a ticket from f to t as who, through the API or a raw UPDATE; 'result/status after'
CREATE FUNCTION pg_temp.try_move(f text, t text, who text, raw boolean) RETURNS text LANGUAGE plpgsql AS $$
DECLARE tid bigint := pg_temp.ticket_in(f);
        r text;
BEGIN
    IF raw THEN
        r := pg_temp.run_as(who, format('UPDATE tuki.ticket SET status = %L%s WHERE id = %s', t,
                                        CASE WHEN t = 'resolved' THEN ', resolution = ''fixed''' ELSE '' END, tid));
    ELSE
        r := pg_temp.run_as(who, format('SELECT tuki.ticket_set_status(%s, %L, %L)', tid, t, 'fixed'));
    END IF;
    RETURN r || '/' || (SELECT status FROM tuki.ticket WHERE id = tid);
END $$;

-- agents and leads cannot UPDATE tickets at all ...
SELECT is(pg_temp.run_as('tt_agent', format('UPDATE tuki.ticket SET status = %L WHERE id = %s', 'open', pg_temp.ticket_in('new'))),
          '42501', 'an agent has no UPDATE privilege on tuki.ticket');
SELECT is(pg_temp.run_as('tt_lead', format('UPDATE tuki.ticket SET status = %L WHERE id = %s', 'open', pg_temp.ticket_in('new'))),
          '42501', 'a lead has no UPDATE privilege on tuki.ticket');
-- ... so to show the trigger alone guards them, give them the privilege for this transaction
GRANT UPDATE ON tuki.ticket TO tt_agent, tt_lead;
CREATE POLICY tt_update ON tuki.ticket FOR UPDATE TO tt_agent, tt_lead USING (true) WITH CHECK (true);

CREATE TEMP TABLE cases AS
SELECT f.code AS f, t.code AS t, w.who, m.raw,
       CASE WHEN tr.from_status IS NULL THEN 'TK001/' || f.code
            WHEN tr.lead_only AND w.who = 'tt_agent' THEN 'TK005/' || f.code
            ELSE 'ok/' || t.code END AS expected,
       f.sort_order * 10 + t.sort_order AS ord
  FROM tuki.status f CROSS JOIN tuki.status t
 CROSS JOIN (VALUES (false), (true)) m(raw)
 CROSS JOIN (VALUES ('tt_agent'), ('tt_lead'), ('tuki_owner'), ('postgres')) w(who)
  LEFT JOIN tuki.transition tr ON tr.from_status = f.code AND tr.to_status = t.code
 WHERE (m.raw OR w.who <> 'postgres')       -- the API as agent, lead, owner; raw UPDATEs also as a superuser DBA
   AND (NOT m.raw OR f.code <> t.code);     -- a raw UPDATE to the same status is no change at all
SELECT is((SELECT count(*)::int FROM cases), 228, '36 API pairs x 3 roles + 30 raw pairs x 4 roles');

SELECT is(pg_temp.try_move(f, t, who, raw), expected,
          format('%s -> %s via %s as %s', f, t, CASE WHEN raw THEN 'raw UPDATE' ELSE 'ticket_set_status' END, who))
  FROM cases ORDER BY raw, who, ord;

-- the errors explain themselves
SELECT matches(pg_temp.err_as('tt_agent', format('SELECT tuki.ticket_set_status(%s, %L)', pg_temp.ticket_in('new'), 'waiting_third_party')),
    '^TK001\|ticket #\d+ cannot go from new to waiting_third_party\|From new the allowed statuses are: open, waiting_customer, resolved, closed \(leads only\)\.\|.+',
    'TK001 names the move, DETAIL lists the allowed targets, HINT follows');
SELECT matches(pg_temp.err_as('tt_agent', format('SELECT tuki.ticket_set_status(%s, %L)', pg_temp.ticket_in('closed'), 'open')),
    '^TK001\|.*\|From closed the allowed statuses are: none\.\|Closed is final.*', 'closed is final: nothing is allowed from it');
SELECT matches(pg_temp.err_as('tt_agent', format('SELECT tuki.ticket_set_status(%s, %L)', pg_temp.ticket_in('new'), 'closed')),
    '^TK005\|only a lead may move ticket #\d+ from new to closed\|.+\|Ask a team lead.*', 'TK005 for a lead-only move, with DETAIL and HINT');
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_set_status(%s, %L)', pg_temp.ticket_in('new'), 'bogus')),
    'TK006', 'an unknown status is TK006');
SELECT is(pg_temp.run_as('tt_agent', 'SELECT tuki.ticket_set_status(999999, ''open'')'), 'TK006', 'an unknown ticket is TK006');

-- resolution notes
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_set_status(%s, %L)', pg_temp.ticket_in('open'), 'resolved')),
    'TK007', 'resolving without a note is refused');
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_set_status(%s, %L, %L)', pg_temp.ticket_in('open'), 'resolved', '  ')),
    'TK007', 'a blank note is no note');
SELECT is(pg_temp.run_as('tuki_owner', format('UPDATE tuki.ticket SET status = %L WHERE id = %s', 'resolved', pg_temp.ticket_in('open'))),
    'TK007', 'a raw UPDATE to resolved without a resolution is refused, even for the owner');

-- timestamps belong to the trigger
CREATE TEMP TABLE tk AS SELECT pg_temp.ticket_in('new') AS id;
SELECT is(pg_temp.run_as('tuki_owner', format('UPDATE tuki.ticket SET responded_at = %L, resolved_at = %L, closed_at = %L, created_at = created_at WHERE id = %s',
          '2001-01-01', '2001-01-01', '2001-01-01', (SELECT id FROM tk))), 'ok', 'the owner may run an UPDATE that writes timestamps ...');
SELECT ok((SELECT responded_at IS NULL AND resolved_at IS NULL AND closed_at IS NULL FROM tuki.ticket WHERE id = (SELECT id FROM tk)),
    '... but the trigger ignores them');
SELECT is(pg_temp.run_as('tuki_owner', format('UPDATE tuki.ticket SET created_at = %L WHERE id = %s', '2001-01-01', (SELECT id FROM tk))),
    'TK008', 'created_at cannot change');
SELECT is(pg_temp.run_as('tuki_owner', format('UPDATE tuki.ticket SET customer = customer || %L WHERE id = %s', 'X', (SELECT id FROM tk))),
    'TK008', 'the customer cannot change');
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_set_status(%s, %L, %L)', (SELECT id FROM tk), 'resolved', 'done')), 'ok', 'resolve');
SELECT ok((SELECT resolved_at IS NOT NULL AND responded_at = resolved_at AND resolution = 'done' AND closed_at IS NULL
             FROM tuki.ticket WHERE id = (SELECT id FROM tk)), 'resolving sets resolved_at, and responded_at when there was no reply');
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_set_status(%s, %L)', (SELECT id FROM tk), 'open')), 'ok', 'reopen');
SELECT ok((SELECT resolved_at IS NULL AND resolution IS NULL AND responded_at IS NOT NULL FROM tuki.ticket WHERE id = (SELECT id FROM tk)),
    'reopening clears resolved_at and the old resolution, keeps responded_at');
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_set_status(%s, %L, %L)', (SELECT id FROM tk), 'resolved', 'again')), 'ok', 'resolve again');
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_set_status(%s, %L)', (SELECT id FROM tk), 'closed')), 'ok', 'close');
SELECT ok((SELECT closed_at IS NOT NULL AND status = 'closed' FROM tuki.ticket WHERE id = (SELECT id FROM tk)), 'closing sets closed_at');
SELECT is(pg_temp.run_as('tuki_owner', format('UPDATE tuki.ticket SET subject = %L WHERE id = %s', 'changed', (SELECT id FROM tk))),
    'TK008', 'a closed ticket cannot be edited, even by the owner');
SELECT is(pg_temp.run_as('tt_lead', format('SELECT tuki.ticket_reply(%s, %L)', (SELECT id FROM tk), 'hello?')),
    'TK008', 'no messages on a closed ticket');
SELECT is(pg_temp.run_as('postgres', format('UPDATE tuki.ticket SET status = %L WHERE id = %s', 'open', (SELECT id FROM tk))),
    'TK001', 'not even a superuser reopens a closed ticket');

-- a ticket starts new
SELECT is(pg_temp.run_as('postgres', $$INSERT INTO tuki.ticket (customer, contract, service_level, subject, status)
                                      SELECT 'ACME', id, 'standard', 'x', 'open' FROM tuki.contract LIMIT 1$$),
    'TK001', 'a raw INSERT of a ticket that is not new is refused');

-- priority follows the ITIL matrix, whatever the client writes
SELECT results_eq(
    $$SELECT impact, urgency, priority FROM tuki.priority_matrix ORDER BY 1, 2$$,
    $$VALUES (1, 1, 1), (1, 2, 2), (1, 3, 3), (2, 1, 2), (2, 2, 3), (2, 3, 4), (3, 1, 3), (3, 2, 4), (3, 3, 5)$$,
    'priority_matrix holds the ITIL 3x3 matrix');
CREATE TEMP TABLE p2 AS SELECT tuki.ticket_create('ACME', 'p', 'b', 'incident', 2, 1) AS id;
SELECT is((SELECT t.priority FROM tuki.ticket t JOIN p2 USING (id)), 2, 'impact 2, urgency 1 is P2');
SELECT is(pg_temp.run_as('tuki_owner', format('UPDATE tuki.ticket SET priority = 1 WHERE id = %s', (SELECT max(id) FROM tuki.ticket))),
    'ok', 'the owner writes priority 1 directly ...');
SELECT is((SELECT priority FROM tuki.ticket WHERE id = (SELECT max(id) FROM tuki.ticket)), 2, '... and the trigger puts the matrix value back');
SELECT is((SELECT version FROM tuki.ticket WHERE id = (SELECT max(id) FROM tuki.ticket)), 2, 'every UPDATE bumps version');

SELECT * FROM finish();
ROLLBACK;
