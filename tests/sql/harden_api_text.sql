-- Every text argument of every API function, enumerated from the catalogue (whatever a tuki
-- role may execute that is VOLATILE and takes text, tuki.fail aside), is
-- tried with SQL injection strings, NUL-free control characters and 4-byte UTF-8. Free text
-- is stored verbatim; codes are refused with a TK error; nothing else (no syntax error, no
-- encoding error, no internal error) ever comes out. A new API function with a text argument
-- is covered as soon as it exists; one whose argument names this file does not know fails
-- the first test until it says what a valid value is.
BEGIN;
SELECT plan(6);

\ir lib/as_role.psql

CREATE ROLE tt_lead LOGIN;
CREATE ROLE tt_victim LOGIN;
SELECT tuki.agent_add('tt_lead', 'Lauri Liidi', 'second_line', true);
SELECT tuki.agent_add('tt_victim', 'Ville Uhri', 'second_line');
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('ACME', 'standard', '24x7', '2020-01-01');
INSERT INTO tuki.contact (customer, name, email, may_order_billable) VALUES ('ACME', 'Päivi', 'paivi@acme.fi', true);

CREATE TEMP TABLE nasty (k int PRIMARY KEY, s text);
INSERT INTO nasty VALUES
    (1, $t$'; DROP TABLE tuki.ticket; --$t$),
    (2, $t$Robert'); DELETE FROM tuki.message;-- $$ $body$ %s %L %I :'x' \gexec \\ \' E'\n'$t$),
    (3, E'ctl \x01\x02\x07\x08\x0b\x0c\x0e\x1f\x7f \x1b[2J\x1b]0;pwned\x07\x1b[?1049h \x1b]52;c;ZXZpbA==\x07 end'),
    (4, E'\r\n\t leading and trailing white space \t\r\n'),
    (5, 'utf-8 😀𝄞𠜎🇫🇮 Ž č ä ö « » ‮RTL‬ text'),
    (6, repeat('😀', 120));

-- the API: executable by a tuki role, may write (VOLATILE), takes text; tuki.fail, which only
-- raises, aside
CREATE TEMP TABLE api AS
SELECT p.oid, p.oid::regprocedure::text AS signature, p.proargnames AS names, p.proargtypes::regtype[] AS types
  FROM pg_proc p
 WHERE p.pronamespace = 'tuki'::regnamespace AND p.provolatile = 'v' AND p.prokind = 'f'
   AND 'text'::regtype = ANY (p.proargtypes::regtype[])
   AND EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname LIKE 'tuki\_%' AND r.rolname <> 'tuki_owner'
                  AND has_function_privilege(r.oid, p.oid, 'EXECUTE'))
   AND p.oid <> 'tuki.fail(text, text, text, text)'::regprocedure;
SELECT cmp_ok((SELECT count(*) FROM api), '>=', 10::bigint, 'the API functions with text arguments are found in the catalogue');

-- a valid value for every argument name; free text is what must come back verbatim
CREATE TEMP TABLE sample (name text PRIMARY KEY, value text, free_text boolean);
INSERT INTO sample VALUES
    ('id', NULL, false),            -- a fresh ticket per call
    ('customer', 'ACME', false), ('subject', 'Aihe', true), ('body', 'Teksti', true), ('type', 'bug', false),
    ('impact', '3', false), ('urgency', '3', false), ('contact_email', 'paivi@acme.fi', false), ('channel', 'email', false),
    ('agent', 'tt_victim', false), ('status', 'waiting_customer', false), ('note', 'Muistiinpano', true),
    ('team', 'third_line', false), ('minutes', '5', false), ('billable', 'false', false),
    ('fix_version', '2.0', true), ('login', 'tt_victim', false), ('display_name', 'Ville', true), ('lead', 'false', false),
    ('version', '2', false);
SELECT is((SELECT string_agg(DISTINCT a.signature || ' ' || n, ', ') FROM api a, unnest(a.names) n
            WHERE NOT EXISTS (SELECT 1 FROM sample s WHERE s.name = n)),
    NULL, 'every argument of the API has a sample value here');

-- one call: a fresh bug ticket held by the lead, the argument arg replaced by s; the result,
-- and whether s is now, byte for byte, a value of that ticket, its messages or work log, or
-- of the agent just registered
CREATE FUNCTION pg_temp.try(fn oid, arg text, s text, OUT result text, OUT stored boolean) LANGUAGE plpgsql AS $$
DECLARE
    fresh bigint := pg_temp.val_as('tt_lead', $q$SELECT tuki.ticket_create('ACME', 'kohde', 'b', 'bug', contact_email => 'paivi@acme.fi')$q$)::bigint;
    call text;
BEGIN
    PERFORM pg_temp.run_as('tt_lead', format('SELECT tuki.ticket_take(%s)', fresh));
    SELECT format('SELECT %s(%s)', fn::regproc,
                  string_agg(format('%I => %L::%s', n, CASE WHEN n = arg THEN s WHEN n = 'id' THEN fresh::text ELSE x.value END, t),
                             ', ' ORDER BY i))
      INTO call
      FROM api a, unnest(a.names, a.types) WITH ORDINALITY u(n, t, i) JOIN sample x ON x.name = u.n
     WHERE a.oid = fn;
    result := pg_temp.err_as('tt_lead', call);
    stored := EXISTS (SELECT 1 FROM tuki.ticket r WHERE r.id = fresh AND s IN (r.subject, r.resolution, r.fix_version))
           OR EXISTS (SELECT 1 FROM tuki.message r WHERE r.ticket = fresh AND r.body = s)
           OR EXISTS (SELECT 1 FROM tuki.worklog r WHERE r.ticket = fresh AND r.note = s)
           OR EXISTS (SELECT 1 FROM tuki.ticket r WHERE r.id > fresh AND r.subject = s)      -- ticket_create's own
           OR EXISTS (SELECT 1 FROM tuki.message r WHERE r.ticket > fresh AND r.body = s)
           OR EXISTS (SELECT 1 FROM tuki.agent r WHERE r.login = 'tt_victim' AND r.display_name = s);
END $$;

CREATE TEMP TABLE tried AS
SELECT signature, arg, free_text, k, s, (r).result, (r).stored
  FROM (SELECT a.signature, n AS arg, x.free_text, k, v.s, pg_temp.try(a.oid, n, v.s) AS r
          FROM api a, unnest(a.names, a.types) u(n, t), sample x, nasty v
         WHERE u.t = 'text'::regtype AND x.name = u.n
         ORDER BY a.signature, n, k) c;

SELECT is((SELECT string_agg(format('%s %s #%s: %s', signature, arg, k, left(result, 80)), E'\n') FROM tried
            WHERE result <> 'ok' AND result !~ '^TK'),
    NULL, 'every call either works or fails with a TK error: no syntax, encoding or internal error');
SELECT is((SELECT string_agg(format('%s %s #%s: %s', signature, arg, k, left(result, 80)), E'\n') FROM tried
            WHERE free_text AND result <> 'ok'),
    NULL, 'free text is accepted whatever it holds');
-- stored verbatim: the exact string is a column value of a row of the desk
SELECT is((SELECT string_agg(format('%s %s #%s', signature, arg, k), E'\n') FROM tried WHERE free_text AND NOT stored),
    NULL, 'and stored verbatim, byte for byte');
SELECT is((SELECT string_agg(format('%s %s #%s: %s', signature, arg, k, result), E'\n') FROM tried
            WHERE NOT free_text AND result !~ '^TK00[56]\|'),
    NULL, 'a code, login or address that holds such a string is refused with TK005 or TK006');

SELECT * FROM finish();
ROLLBACK;
