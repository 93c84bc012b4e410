-- Issue 17, findings 8 and 10: sizes are bounded, blank is blank, and business time refuses
-- what it cannot count with a TK error. The limits are stated once, in tuki.limits(): the
-- constraints and the API read them there, and so can the client.
BEGIN;
SELECT plan(49);

\ir lib/as_role.psql

CREATE ROLE tt_agent LOGIN;
CREATE ROLE tt_acme LOGIN IN ROLE tuki_customer;
SELECT tuki.agent_add('tt_agent', 'Aino Agentti', 'second_line');
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('ACME', 'standard', '24x7', '2020-01-01');
INSERT INTO tuki.contact (customer, name, email, login, may_order_billable) VALUES ('ACME', 'Päivi', 'paivi@acme.fi', 'tt_acme', true);
CREATE TEMP TABLE k AS SELECT tuki.ticket_create('ACME', 'Rajat', 'b', contact_email => 'paivi@acme.fi') AS id;
CREATE TEMP TABLE taken AS SELECT pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_take(%s)', (SELECT id FROM k))) AS result;
-- the API as the agent; '{id}' in q is the ticket
CREATE FUNCTION pg_temp.api(q text) RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.err_as('tt_agent', replace(q, '{id}', (SELECT id::text FROM k))) $$;
CREATE TEMP TABLE counts_before AS
SELECT (SELECT count(*) FROM tuki.message) AS messages, (SELECT count(*) FROM tuki.worklog) AS worklogs,
       (SELECT count(*) FROM tuki.ticket) AS tickets;

-- the limits, readable by every role the client may log in as
SELECT results_eq('SELECT name, max, unit FROM tuki.limits() ORDER BY name',
    $$VALUES ('attachment', 26214400::bigint, 'bytes'), ('message_body', 1048576, 'bytes'),
             ('subject', 500, 'characters'), ('worklog_minutes', 1440, 'minutes')$$,
    'tuki.limits(): subject, message body, attachment and work log minutes');
SELECT is(pg_temp.val_as(who, 'SELECT tuki.limit_of(''worklog_minutes'')'), '1440', who || ' reads the limits')
  FROM (VALUES ('tt_agent'), ('tt_acme')) w(who);
-- stated once: no constraint of the desk spells a limit's number
SELECT is((SELECT string_agg(conrelid::regclass || ': ' || pg_get_constraintdef(oid), '; ') FROM pg_constraint
            WHERE connamespace = 'tuki'::regnamespace AND contype = 'c'
              AND pg_get_constraintdef(oid) ~ ('\m(' || (SELECT string_agg(max::text, '|') FROM tuki.limits()) || ')\M')),
    NULL, 'no check constraint repeats a limit''s number; they call tuki.limit_of');

-- sizes: at the limit is fine, one over is TK009 naming the size and the limit
SELECT is(pg_temp.api(format('SELECT tuki.ticket_create(''ACME'', %L, ''b'')', repeat('𝄞', 500))), 'ok',
    'a subject of 500 characters (4-byte ones) is fine');
SELECT matches(pg_temp.api(format('SELECT tuki.ticket_create(''ACME'', %L, ''b'')', repeat('ä', 501))),
    '^TK009\|subject is too long: 501 characters, at most 500\|The limit subject applies to tuki\.ticket\.subject\.\|.*tuki\.limits\(\)',
    'a subject of 501 characters: TK009 with DETAIL and HINT');
SELECT is(pg_temp.api(format('SELECT tuki.ticket_reply({id}, %L)', repeat('x', 1048576))), 'ok', 'a reply of exactly 1 MiB is fine');
SELECT matches(pg_temp.api(format('SELECT tuki.ticket_reply({id}, %L)', repeat('x', 1048577))),
    '^TK009\|reply is too long: 1048577 bytes, at most 1048576\|', 'a reply one byte over: TK009');
SELECT matches(pg_temp.api(format('SELECT tuki.ticket_reply({id}, %L)', repeat('ö', 524289))),
    '^TK009\|reply is too long: 1048578 bytes', 'bytes, not characters: 524,289 two-byte letters are over');
SELECT matches(pg_temp.api(format('SELECT tuki.ticket_note({id}, %L)', repeat('n', 10 * 1048576))),
    '^TK009\|note is too long: 10485760 bytes', 'a 10 MiB note: TK009');
SELECT matches(pg_temp.api(format('SELECT tuki.ticket_create(''ACME'', ''s'', %L)', repeat('b', 1048577))),
    '^TK009\|request body is too long', 'a request body over the limit: TK009');
SELECT matches(pg_temp.api(format('SELECT tuki.ticket_set_status({id}, ''waiting_customer'', %L)', repeat('s', 1048577))),
    '^TK009\|note is too long', 'a status note over the limit: TK009');
SELECT matches(pg_temp.api(format('SELECT tuki.ticket_set_status({id}, ''resolved'', %L)', repeat('r', 1048577))),
    '^TK009\|note is too long', 'a resolution over the limit: TK009');
SELECT matches(pg_temp.api(format('SELECT tuki.worklog_add({id}, 5, false, %L)', repeat('w', 1048577))),
    '^TK009\|work log note is too long', 'a work log note over the limit: TK009');
SELECT matches(pg_temp.api('SELECT tuki.worklog_add({id}, 1441)'),
    '^TK006\|minutes must be 1\.\.1440, not 1441\|.*worklog_minutes', 'work log minutes over the limit: TK006 naming it');
SELECT is(pg_temp.api('SELECT tuki.worklog_add({id}, 1440)'), 'ok', 'a whole day (1440 minutes) is fine');
SELECT matches(pg_temp.api(format('SELECT tuki.ticket_confirm_bug({id}, %L)', repeat('v', 501))),
    '^TK009\|fix version is too long', 'a fix version of 501 characters: TK009');

-- blank: white space and invisible characters alone are empty
SELECT matches(pg_temp.api(format('SELECT tuki.ticket_create(''ACME'', %L, ''b'')', s)), '^TK006\|subject is empty\|', 'subject of ' || what || ': TK006')
  FROM (VALUES ('U+00A0 U+2003', E'\u00a0\u2003'), ('U+3000 U+205F U+202F', E'\u3000\u205f\u202f'),
               ('U+FEFF U+2060', E'\ufeff\u2060'), ('U+0085 U+2028 tab', E'\u0085\u2028\t')) x(what, s);
SELECT matches(pg_temp.api(format('SELECT tuki.ticket_reply({id}, %L)', s)), '^TK006\|reply is empty\|', 'reply of ' || what || ': TK006')
  FROM (VALUES ('U+200B', E'\u200b'), ('U+200C U+200D U+00AD', E'\u200c\u200d\u00ad'), ('U+E0020 tag space', E'\U000e0020')) x(what, s);
SELECT matches(pg_temp.api(format('SELECT tuki.ticket_note({id}, %L)', E'\u200b \u00a0\n')), '^TK006\|note is empty\|', 'a note of U+200B, space, U+00A0, newline: TK006');
SELECT matches(pg_temp.api(format('SELECT tuki.ticket_set_status({id}, ''resolved'', %L)', E'\u2003\u200b')), '^TK007\|',
    'a resolution of U+2003 U+200B: TK007');
SELECT is(pg_temp.api(format('SELECT tuki.ticket_reply({id}, %L)', E'\u200b.\u200b')), 'ok', 'one visible character among invisible ones is text');
SELECT is(pg_temp.api(format('SELECT tuki.ticket_reply({id}, %L)', E'\U0001F600')), 'ok', 'an emoji alone is text');

-- the tables hold the same rules for raw writes (the owner's, a DBA's)
SELECT throws_ok(format($$INSERT INTO tuki.message (ticket, visibility, body) VALUES (%s, 'internal', E'\u200b')$$, (SELECT id FROM k)),
    '23514', NULL, 'a raw insert of a blank message violates the table''s check');
SELECT throws_ok(format($$INSERT INTO tuki.message (ticket, visibility, body) VALUES (%s, 'internal', repeat('x', 1048577))$$, (SELECT id FROM k)),
    '23514', NULL, 'as does one over the message_body limit');
SELECT throws_ok(format($$UPDATE tuki.ticket SET subject = E'\u00a0' WHERE id = %s$$, (SELECT id FROM k)),
    '23514', NULL, 'and a raw update to a blank subject');

-- nothing that was refused was stored: two replies of 1 MiB and one char, 500-char ticket, worklog
SELECT is((SELECT count(*) FROM tuki.message) - messages, 4::bigint, 'of the messages, only the four accepted ones were stored') FROM counts_before;
SELECT is((SELECT max(octet_length(body)) FROM tuki.message), 1048576, 'the largest message stored is 1 MiB');

-- business time: what it cannot count is TK105 (TK102 for negative within the range), never 0A000 or 22003
SELECT matches(pg_temp.err_as('tt_agent', q), '^' || code || '\|', what)
  FROM (VALUES
    ('business_add from infinity', $$SELECT tuki.business_add('24x7', 'infinity', 5)$$, 'TK105'),
    ('business_add from -infinity', $$SELECT tuki.business_add('fi-8-16', '-infinity', 5)$$, 'TK105'),
    ('business_add from year 294276', $$SELECT tuki.business_add('24x7', '294276-12-31 23:59:59+00', 5)$$, 'TK105'),
    ('business_add of 2^31-1 minutes', $$SELECT tuki.business_add('24x7', now(), 2147483647)$$, 'TK105'),
    ('business_add_exact of NaN', $$SELECT tuki.business_add_exact('24x7', now(), 'NaN')$$, 'TK105'),
    ('business_add_exact of 1e300', $$SELECT tuki.business_add_exact('24x7', now(), 1e300)$$, 'TK105'),
    ('business_add_exact of infinity', $$SELECT tuki.business_add_exact('24x7', now(), 'infinity')$$, 'TK105'),
    ('business_add_exact of -1e300 (the range before the sign)', $$SELECT tuki.business_add_exact('24x7', now(), -1e300)$$, 'TK105'),
    ('business_add_exact of -infinity', $$SELECT tuki.business_add_exact('24x7', now(), '-infinity')$$, 'TK105'),
    ('business_add of -2^31 minutes', $$SELECT tuki.business_add('24x7', now(), -2147483648)$$, 'TK105'),
    ('business_add of -1 minute is still negative', $$SELECT tuki.business_add('24x7', now(), -1)$$, 'TK102'),
    ('business_minutes to infinity', $$SELECT tuki.business_minutes('24x7', now(), 'infinity')$$, 'TK105'),
    ('business_minutes from -infinity', $$SELECT tuki.business_minutes('24x7', '-infinity', now())$$, 'TK105'),
    ('business_minutes to year 294276', $$SELECT tuki.business_minutes('24x7', now(), '294276-12-31 23:59:59+00')$$, 'TK105')
  ) x(what, q, code);
SELECT matches(pg_temp.err_as('tt_agent', $$SELECT tuki.business_add_exact('24x7', now(), 1e300)$$),
    '^TK105\|1\.00e\+300 business minutes after ', 'and says 1e300 in a few characters, not three hundred digits');
SELECT is(tuki.business_add('fi-8-16', '2026-03-02 15:00+02', 60), '2026-03-02 16:00+02'::timestamptz,
    'and within the horizon business_add still counts (Monday 15:00 + 60 = 16:00)');

SELECT * FROM finish();
ROLLBACK;
