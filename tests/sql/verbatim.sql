-- Text goes in and comes out verbatim: quotes, backslashes, SQL injection attempts, 4-byte UTF-8.
BEGIN;
SELECT plan(15);

\ir lib/as_role.psql

CREATE ROLE tt_agent LOGIN;
CREATE ROLE tt_acme LOGIN IN ROLE tuki_customer;
SELECT tuki.agent_add('tt_agent', 'Aino Agentti', 'second_line');
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('ACME', 'standard', 'fi-8-16', '2020-01-01');
INSERT INTO tuki.contact (customer, name, email, login, may_order_billable) VALUES ('ACME', 'Päivi Mäkelä', 'paivi@acme.fi', 'tt_acme', true);

CREATE TEMP TABLE input (n int PRIMARY KEY, s text);
INSERT INTO input VALUES
    (1, $t$O'Brien's "printer" won't print ''twice''$t$),
    (2, $t$C:\temp\new\file.txt \\server\share \n is not a newline \' \"$t$),
    (3, $t$'; DROP TABLE tuki.ticket; --$t$),
    (4, $t$Robert'); DROP TABLE tuki.message;-- $$ $body$ %s %L %I :'x' \gexec$t$),
    (5, 'Emoji 😀🚀, music 𝄞, CJK ext-B 𠜎𠜱, flags 🇫🇮🇸🇰'),
    (6, 'Päivää! Žltý kôň úpel ďábelské ódy – “lainausmerkit” ‚taky‘ « » ½ €'),
    (7, E'line one\r\nline two\twith tab   \n\n  indented\\end\n');
SELECT is((SELECT count(*)::int FROM input, regexp_split_to_table(s, '') c WHERE octet_length(c) = 4), 9, 'the inputs hold nine 4-byte characters');

-- through the API as an agent, quoted the way a careless client would: with format %L
CREATE TEMP TABLE made AS
SELECT n, pg_temp.val_as('tt_agent', format('SELECT tuki.ticket_create(%L, %L, %L, contact_email => %L)', 'ACME', s, s, 'paivi@acme.fi'))::bigint AS id
  FROM input ORDER BY n;
SELECT is((SELECT count(*)::int FROM made WHERE id IS NOT NULL), 7, 'every ticket was created');
SELECT is((SELECT count(*)::int FROM made JOIN input USING (n) JOIN tuki.ticket t ON t.id = made.id WHERE t.subject = input.s), 7,
    'subjects are stored verbatim');
SELECT is((SELECT count(*)::int FROM made JOIN input USING (n) JOIN tuki.queue q ON q.id = made.id WHERE q.subject = input.s), 7,
    'and tuki.queue shows them verbatim');
SELECT is((SELECT count(*)::int FROM made JOIN input USING (n) JOIN tuki.message m ON m.ticket = made.id WHERE m.body = input.s), 7,
    'request bodies are stored verbatim');
SELECT is((SELECT count(*)::int FROM made JOIN input USING (n) JOIN tuki.ticket_event e ON e.ticket = made.id AND e.kind = 'created'
            WHERE e.detail->>'subject' = input.s), 7, 'and the history holds the same subject');

SELECT is((SELECT count(*)::int FROM made JOIN input USING (n),
                  LATERAL (SELECT pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_reply(%s, %L)', made.id, input.s))) r(x)
            WHERE r.x = 'ok'), 7, 'replies with the same texts succeed');
SELECT is((SELECT count(*)::int FROM made JOIN input USING (n),
                  LATERAL (SELECT pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_note(%s, %L)', made.id, input.s))) r(x)
            WHERE r.x = 'ok'), 7, 'and notes');
SELECT is((SELECT count(*)::int FROM made JOIN input USING (n),
                  LATERAL (SELECT pg_temp.run_as('tt_agent', format('SELECT tuki.worklog_add(%s, 10, true, %L)', made.id, input.s))) r(x)
            WHERE r.x = 'ok'), 7, 'and worklog notes');
SELECT is((SELECT count(*)::int FROM made JOIN input USING (n),
                  LATERAL (SELECT pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_set_status(%s, %L, %L)', made.id, 'resolved', input.s))) r(x)
            WHERE r.x = 'ok'), 7, 'and resolution notes');
SELECT is((SELECT count(*)::int FROM made JOIN input USING (n) JOIN tuki.message m ON m.ticket = made.id
            WHERE m.body = input.s AND NOT m.from_customer), 14, 'reply and note bodies are verbatim');
SELECT is((SELECT count(*)::int FROM made JOIN input USING (n) JOIN tuki.worklog w ON w.ticket = made.id WHERE w.note = input.s), 7,
    'worklog notes are verbatim');
SELECT is((SELECT count(*)::int FROM made JOIN input USING (n) JOIN tuki.ticket t ON t.id = made.id WHERE t.resolution = input.s), 7,
    'resolutions are verbatim');
-- the customer reads back the same bytes
SELECT is(pg_temp.val_as('tt_acme', format($q$SELECT string_agg(md5(body), ',' ORDER BY id) FROM tuki.message WHERE ticket IN (%s)$q$,
                                           (SELECT string_agg(id::text, ',') FROM made))),
    (SELECT string_agg(md5(m.body), ',' ORDER BY m.id) FROM tuki.message m WHERE m.ticket IN (SELECT id FROM made) AND m.visibility = 'public'),
    'the customer reads the public messages back byte for byte');
SELECT ok((SELECT count(*) FROM tuki.ticket) = 7 AND to_regclass('tuki.message') IS NOT NULL, 'and nothing was dropped');

SELECT * FROM finish();
ROLLBACK;
