-- The queue order is defined once, as the fields of tuki.queue_key; the ticket keeps them as plain
-- columns so keyset comparisons stay index ranges under row-level security. What must not drift:
-- every queue index ends with exactly those fields, in that order, and the ticket's due column
-- is the key's due; and tuki.queue, the console's paging (tuki.queue_after, tuki.queue_before)
-- and tuki.ticket_take_next each give the tickets in the order of the type's own comparison.
-- A new field in the type, or an order written differently in one place, fails here.
BEGIN;
SELECT plan(10);

\ir lib/as_role.psql

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

-- tickets that differ in every field of the key: three service levels, priorities from impact
-- and urgency, deadlines from their creation times, one without a running deadline
CREATE ROLE qo_agent LOGIN IN ROLE tuki_agent;
SELECT tuki.agent_add('qo_agent', 'Olli Order', NULL);
INSERT INTO tuki.customer (code, name) VALUES ('GOLD', 'Gold Oy'), ('TIN', 'Tin Oy'), ('MID', 'Mid Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES
    ('GOLD', 'premium', '24x7', '2020-01-01'), ('MID', 'standard', '24x7', '2020-01-01'),
    ('TIN', 'light', '24x7', '2020-01-01');
SELECT set_config('tuki.now', (now() - (g % 5) * interval '1 hour')::text, true),
       tuki.ticket_create((ARRAY['GOLD', 'MID', 'TIN'])[1 + g % 3], 'order ' || g, 'x', 'incident',
                          1 + (g / 3) % 3, 1 + (g / 2) % 3)
  FROM generate_series(1, 36) g \g /dev/null
SELECT set_config('tuki.now', '', true);
-- waiting for the customer: no deadline runs, so its due is infinity (last of its group)
UPDATE tuki.ticket SET status = 'open' WHERE subject IN ('order 7', 'order 8');
UPDATE tuki.ticket SET status = 'waiting_customer' WHERE subject = 'order 7';

CREATE TEMP VIEW by_type AS
SELECT array_agg(t.id ORDER BY ROW(t.service_rank, t.priority, t.queue_due, t.id)::tuki.queue_key) AS ids
  FROM tuki.ticket t WHERE t.is_active;
GRANT SELECT ON by_type TO PUBLIC;
SELECT ok((SELECT cardinality(ids) = 36 AND (SELECT count(DISTINCT (service_rank, priority, queue_due)) FROM tuki.ticket) > 10
             FROM by_type), 'setup: 36 active tickets, keys differing in every field');
SELECT is((SELECT array_agg(q.id ORDER BY q.position) FROM tuki.queue q), (SELECT ids FROM by_type),
          'tuki.queue numbers the tickets in the key''s order');
SELECT is(pg_temp.val_as('qo_agent', $$SELECT array_agg(a.id ORDER BY a.ordinality)::text
                                       FROM tuki.queue_after('all', NULL, NULL, 100) WITH ORDINALITY a$$),
          (SELECT ids::text FROM by_type), 'the console''s pages (tuki.queue_after) come in the key''s order');
SELECT is(pg_temp.val_as('qo_agent', $$SELECT array_agg(b.id ORDER BY b.ordinality DESC)::text
                                       FROM tuki.queue_before('all', NULL, ROW(2147483647, 5, 'infinity', 9223372036854775807), 100)
                                            WITH ORDINALITY b$$),
          (SELECT ids::text FROM by_type), 'paging back (tuki.queue_before) comes nearest first: the key''s order reversed');
SELECT is((SELECT array_agg(pg_temp.val_as('qo_agent', 'SELECT tuki.ticket_take_next()')::bigint ORDER BY g)
             FROM generate_series(1, 36) g),
          (SELECT ids FROM by_type), 'tuki.ticket_take_next takes them in the key''s order');

SELECT * FROM finish();
ROLLBACK;
