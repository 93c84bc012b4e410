-- The queue order is defined once, as the fields of tuki.queue_key; the ticket keeps them as plain
-- columns so keyset comparisons stay index ranges under row-level security. What must not drift:
-- every queue index ends with exactly those fields, in that order, and the ticket's due column
-- is the key's due. A new field in the type, or an index written in another order, fails here.
BEGIN;
SELECT plan(5);

-- the key's fields as the ticket's columns (the due is kept as queue_due)
CREATE TEMP VIEW key_columns AS
SELECT array_agg(CASE a.attname WHEN 'due' THEN 'queue_due' ELSE a.attname::text END ORDER BY a.attnum) AS cols
  FROM pg_attribute a
 WHERE a.attrelid = (SELECT typrelid FROM pg_type WHERE oid = 'tuki.queue_key'::regtype) AND a.attnum > 0 AND NOT a.attisdropped;

-- an index's columns, in order
CREATE FUNCTION pg_temp.index_columns(ix regclass) RETURNS text[] LANGUAGE sql AS $$
    SELECT array_agg(a.attname::text ORDER BY k.n)
      FROM pg_index i
     CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, n)
      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
     WHERE i.indexrelid = ix
$$;

SELECT is((SELECT cols FROM key_columns), ARRAY['service_rank', 'priority', 'queue_due', 'id'],
          'tuki.queue_key''s fields are the queue order: service rank, priority, due, id');
SELECT is(pg_temp.index_columns('tuki.ticket_queue_order'), (SELECT cols FROM key_columns),
          'ticket_queue_order holds the key''s fields in its order');
SELECT is(pg_temp.index_columns('tuki.ticket_takeable'), (SELECT cols FROM key_columns),
          'ticket_takeable holds the key''s fields in its order');
SELECT is(pg_temp.index_columns('tuki.ticket_assignee'), ARRAY['assignee'] || (SELECT cols FROM key_columns),
          'ticket_assignee holds the assignee, then the key''s fields in its order');
SELECT is((SELECT format_type(atttypid, atttypmod) FROM pg_attribute
            WHERE attrelid = 'tuki.ticket'::regclass AND attname = 'queue_due'),
          (SELECT format_type(atttypid, atttypmod) FROM pg_attribute
            WHERE attrelid = (SELECT typrelid FROM pg_type WHERE oid = 'tuki.queue_key'::regtype) AND attname = 'due'),
          'the ticket''s queue_due has the type of the key''s due');

SELECT * FROM finish();
ROLLBACK;
