-- The privilege table of tuki-schema(7), generated from the catalogue: one line per table,
-- view, sequence and function in schema tuki, one column per tuki group role (tuki_owner
-- aside; a new role such as tuki_system gets its column by existing). tests/sql/privileges.sql
-- compares it with the block in man/tuki-schema.7; after a change of grants, regenerate that
-- block with tests/sql/lib/privilege-table.sh --write.
--   r  may read (SELECT)             c  may read some columns           w  may write (INSERT, UPDATE, DELETE or TRUNCATE)
--   u  may use a sequence or type    x  may execute a function          -  nothing
CREATE TEMP VIEW privilege_roles AS
SELECT r.oid, r.rolname, substr(r.rolname, 6) AS label, row_number() OVER (ORDER BY r.rolname) AS n
  FROM pg_roles r
 WHERE r.rolname LIKE 'tuki\_%' AND r.rolname <> 'tuki_owner';

CREATE TEMP VIEW privilege_objects AS
SELECT CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view' WHEN 'm' THEN 'view' ELSE 'table' END AS kind,
       c.oid::regclass::text AS name, c.oid AS obj, c.relkind AS relkind
  FROM pg_class c
 WHERE c.relnamespace = 'tuki'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END, p.oid::regprocedure::text, p.oid, NULL
  FROM pg_proc p
 WHERE p.pronamespace = 'tuki'::regnamespace
UNION ALL
-- types of their own (a table's row type goes with its table, an array with its element)
SELECT 'type', t.oid::regtype::text, t.oid, 't'
  FROM pg_type t LEFT JOIN pg_class c ON c.oid = t.typrelid
 WHERE t.typnamespace = 'tuki'::regnamespace AND t.typelem = 0 AND coalesce(c.relkind, 'c') = 'c';

CREATE TEMP VIEW privilege_cells AS
SELECT o.kind, o.name, r.n, r.label,
       CASE WHEN o.relkind = 't' THEN
                CASE WHEN has_type_privilege(r.oid, o.obj, 'USAGE') THEN 'u' ELSE '-' END
            WHEN o.relkind IS NULL THEN
                CASE WHEN has_function_privilege(r.oid, o.obj, 'EXECUTE') THEN 'x' ELSE '-' END
            WHEN o.relkind = 'S' THEN
                concat(CASE WHEN has_sequence_privilege(r.oid, o.obj, 'SELECT') THEN 'r' END,
                       CASE WHEN has_sequence_privilege(r.oid, o.obj, 'USAGE') THEN 'u' END,
                       CASE WHEN has_sequence_privilege(r.oid, o.obj, 'UPDATE') THEN 'w' END)
            ELSE concat(CASE WHEN has_table_privilege(r.oid, o.obj, 'SELECT') THEN 'r'
                             WHEN has_any_column_privilege(r.oid, o.obj, 'SELECT') THEN 'c' END,
                        CASE WHEN has_table_privilege(r.oid, o.obj, 'INSERT, UPDATE, DELETE, TRUNCATE') THEN 'w' END)
       END AS cell
  FROM privilege_objects o CROSS JOIN privilege_roles r;

-- the lines of the man page block, in order: a header, then kind and name sorted
CREATE TEMP VIEW privilege_table AS
WITH w AS (SELECT greatest(max(length(label)), 4) + 1 AS width FROM privilege_roles)
SELECT 0 AS n, '' AS kind, '' AS name,
       rtrim((SELECT string_agg(rpad(label, width), '' ORDER BY r.n) FROM privilege_roles r) || 'object') AS line
  FROM w
UNION ALL
SELECT row_number() OVER (ORDER BY kind, name), kind, name,
       string_agg(rpad(nullif(cell, ''), (SELECT width FROM w)), '' ORDER BY n) || kind || ' ' || name
  FROM (SELECT kind, name, n, coalesce(nullif(cell, ''), '-') AS cell FROM privilege_cells) c
 GROUP BY kind, name;
