-- Privileges of every role on every object of schema tuki, enumerated from the catalogue, so a
-- new function, table, view, sequence, type or tuki_* role is covered without editing this file:
-- the table in tuki-schema(7) must be exactly what the migrations grant (regenerate it with
-- tests/sql/lib/privilege-table.sh --write), nothing is PUBLIC's, SECURITY DEFINER is pinned and
-- owned, and the roles that must not write cannot.
BEGIN;
SELECT plan(16);

\ir lib/privilege_table.sql
\set manpage `cat "$TUKI_SOURCE_ROOT/man/tuki-schema.7"`

-- the block between the markers, without its .EX/.EE
CREATE TEMP TABLE man_table AS
WITH l AS (SELECT line, n FROM regexp_split_to_table(:'manpage', E'\n') WITH ORDINALITY AS x(line, n)),
     b AS (SELECT (SELECT n FROM l WHERE line LIKE '.\\" BEGIN PRIVILEGE TABLE%') AS first,
                  (SELECT n FROM l WHERE line LIKE '.\\" END PRIVILEGE TABLE%') AS last)
SELECT row_number() OVER (ORDER BY l.n) - 1 AS n, l.line
  FROM l, b WHERE l.n > b.first AND l.n < b.last AND l.line NOT IN ('.EX', '.EE');

SELECT cmp_ok((SELECT count(*) FROM man_table), '>', 100::bigint, 'tuki-schema(7) has the privilege table');
SELECT is((SELECT string_agg(line, E'\n' ORDER BY line) FROM (SELECT line FROM privilege_table EXCEPT SELECT line FROM man_table) x),
    NULL, 'every object''s privileges as granted are in the table of tuki-schema(7)');
SELECT is((SELECT string_agg(line, E'\n' ORDER BY line) FROM (SELECT line FROM man_table EXCEPT SELECT line FROM privilege_table) x),
    NULL, 'every line of the table of tuki-schema(7) is what the migrations grant');
SELECT is((SELECT string_agg(line, E'\n' ORDER BY n) FROM man_table), (SELECT string_agg(line, E'\n' ORDER BY n) FROM privilege_table),
    'in the same order (header, then kind and name)');
SELECT is((SELECT string_agg(rolname, ',' ORDER BY rolname) FROM privilege_roles),
    (SELECT string_agg(r.rolname, ',' ORDER BY r.rolname) FROM pg_roles r WHERE r.rolname LIKE 'tuki\_%' AND r.rolname <> 'tuki_owner'),
    'the table has a column for every tuki group role but the owner');

-- nothing in tuki is PUBLIC's
SELECT is((SELECT string_agg(p.oid::regprocedure::text, ', ') FROM pg_proc p
            WHERE p.pronamespace = 'tuki'::regnamespace
              AND (p.proacl IS NULL OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) a WHERE a.grantee = 0))),
    NULL, 'no function in tuki is executable by PUBLIC (a null ACL would mean it is)');
SELECT is((SELECT string_agg(c.oid::regclass::text, ', ') FROM pg_class c
            WHERE c.relnamespace = 'tuki'::regnamespace
              AND EXISTS (SELECT 1 FROM aclexplode(c.relacl) a WHERE a.grantee = 0)),
    NULL, 'no table, view or sequence in tuki grants anything to PUBLIC');
SELECT is((SELECT string_agg(c.oid::regclass || '.' || a.attname, ', ') FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            WHERE c.relnamespace = 'tuki'::regnamespace AND EXISTS (SELECT 1 FROM aclexplode(a.attacl) x WHERE x.grantee = 0)),
    NULL, 'no column in tuki grants anything to PUBLIC');
SELECT is((SELECT string_agg(t.oid::regtype::text, ', ') FROM pg_type t LEFT JOIN pg_class c ON c.oid = t.typrelid
            WHERE t.typnamespace = 'tuki'::regnamespace AND t.typelem = 0 AND coalesce(c.relkind, 'c') = 'c'
              AND (t.typacl IS NULL OR EXISTS (SELECT 1 FROM aclexplode(t.typacl) a WHERE a.grantee = 0))),
    NULL, 'no type in tuki is usable by PUBLIC');
SELECT is((SELECT count(*)::int FROM aclexplode((SELECT nspacl FROM pg_namespace WHERE nspname = 'tuki')) a WHERE a.grantee = 0),
    0, 'schema tuki grants nothing to PUBLIC');

-- SECURITY DEFINER: pinned, owned by tuki_owner, never PUBLIC's (above)
SELECT is((SELECT string_agg(p.oid::regprocedure::text, ', ') FROM pg_proc p
            WHERE p.pronamespace = 'tuki'::regnamespace AND p.prosecdef
              AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false)),
    NULL, 'every SECURITY DEFINER function pins search_path = pg_catalog, pg_temp');
SELECT is((SELECT string_agg(p.oid::regprocedure::text, ', ') FROM pg_proc p
            WHERE p.pronamespace = 'tuki'::regnamespace AND p.proowner <> 'tuki_owner'::regrole),
    NULL, 'every function belongs to tuki_owner');

-- roles that must not write cannot: no table privilege beyond SELECT, no SECURITY DEFINER
-- function that is VOLATILE (every API call that writes is one)
SELECT is((SELECT string_agg(DISTINCT r.rolname || ': ' || o.name, ', ') FROM privilege_roles r CROSS JOIN privilege_objects o
            WHERE o.relkind IS NOT NULL AND o.relkind <> 't'
              AND CASE WHEN o.relkind = 'S' THEN has_sequence_privilege(r.oid, o.obj, 'USAGE, UPDATE')
                       ELSE has_table_privilege(r.oid, o.obj, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER') END),
    NULL, 'no tuki role may write, reference or trigger on a table, or advance a sequence: writing is the API''s');
SELECT is((SELECT string_agg(r.rolname || ': ' || p.oid::regprocedure, ', ') FROM pg_proc p
             CROSS JOIN (VALUES ('tuki_readonly'), ('tuki_customer')) r(rolname)
            WHERE p.pronamespace = 'tuki'::regnamespace AND p.prosecdef AND p.provolatile = 'v'
              AND has_function_privilege(r.rolname, p.oid, 'EXECUTE')
              -- LISTENs the session on its own channel only
              AND p.oid <> 'tuki.listen()'::regprocedure
              -- the customer's writers, which check the contact (tests/sql/customer_reach.sql)
              AND NOT (r.rolname = 'tuki_customer' AND p.oid IN (
                  'tuki.ticket_create(text,text,text,text,integer,integer,text,text)'::regprocedure,
                  'tuki.ticket_reply(bigint,text)'::regprocedure, 'tuki.ticket_reopen(bigint,text)'::regprocedure,
                  'tuki.ticket_close(bigint)'::regprocedure, 'tuki.ticket_attach(bigint,text,bytea,text,text)'::regprocedure,
                  'tuki.worklog_approve(bigint,text)'::regprocedure))),
    NULL, 'read-only and customer roles execute no SECURITY DEFINER function that may write, but a contact''s own writers');

-- the functions of PostgreSQL the desk relies on: none that anyone can interfere with
SELECT is((SELECT string_agg(p.oid::regprocedure::text, ', ') FROM pg_proc p
            WHERE p.pronamespace = 'tuki'::regnamespace AND p.prosrc ~* 'advisory'),
    NULL, 'no function of the desk uses advisory locks (PUBLIC can hold any key)');
SELECT is((SELECT string_agg(r.rolname, ', ') FROM pg_roles r
            WHERE r.rolname LIKE 'tuki\_%' AND has_table_privilege(r.oid, 'tuki.sla_sweep_lock', 'UPDATE')
              AND r.rolname <> 'tuki_owner'),
    NULL, 'only tuki_owner can lock the sweep''s row');

SELECT * FROM finish();
ROLLBACK;
