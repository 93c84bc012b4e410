-- Every text argument of every API function, enumerated from the catalogue (whatever a tuki
-- role may execute that is VOLATILE and takes text, tuki.fail aside), is
-- tried with SQL injection strings, NUL-free control characters and 4-byte UTF-8. Free text
-- is stored verbatim; codes are refused with a TK error (TK005/TK006, or the one the
-- function documents); nothing else (no syntax error, no encoding error, no internal error)
-- ever comes out. Each function is called by a role that may: an agent (the lead), a
-- contact's login (the customer's own functions, sql/022), or the desk's mail role (a member of tuki_system) for the functions only the desk may run. A new API function with a text argument
-- is covered as soon as it exists; one whose argument names this file does not know fails
-- the first test until it says what a valid value is.
BEGIN;
SELECT plan(6);

\ir lib/as_role.psql

CREATE ROLE tt_lead LOGIN;
CREATE ROLE tt_victim LOGIN;
CREATE ROLE tt_mail LOGIN IN ROLE tuki_system;
CREATE ROLE tt_paivi LOGIN IN ROLE tuki_customer;
SELECT tuki.agent_add('tt_lead', 'Lauri Liidi', 'second_line', true);
SELECT tuki.agent_add('tt_victim', 'Ville Uhri', 'second_line');
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('ACME', 'standard', '24x7', '2020-01-01');
INSERT INTO tuki.contact (customer, name, email, may_order_billable, login) VALUES ('ACME', 'Päivi', 'paivi@acme.fi', true, 'tt_paivi');

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

-- a valid value for every argument name, for every function (function_name null) or one;
-- free_text: true = accepted whatever it holds and stored verbatim, false = a code, refused
-- with a TK error matching refused_with, null = steers the call (who a mail is from when the
-- sender is a contact, an automatic mail's kind, a bounce's original) and is kept nowhere:
-- only "works or a TK error" applies. Values ':ticket', ':worklog', ':outbox' are made per call.
CREATE TEMP TABLE sample (function_name text, name text, value text, free_text boolean, refused_with text DEFAULT '^TK00[56]\|',
                          UNIQUE NULLS NOT DISTINCT (function_name, name));
INSERT INTO sample (function_name, name, value, free_text) VALUES
    (NULL, 'id', ':ticket', false),            -- a fresh ticket per call
    (NULL, 'customer', 'ACME', false), (NULL, 'subject', 'Aihe', true), (NULL, 'body', 'Teksti', true), (NULL, 'type', 'bug', false),
    (NULL, 'impact', '3', false), (NULL, 'urgency', '3', false), (NULL, 'contact_email', 'paivi@acme.fi', false), (NULL, 'channel', 'email', false),
    (NULL, 'agent', 'tt_victim', false), (NULL, 'status', 'waiting_customer', false), (NULL, 'note', 'Muistiinpano', true),
    (NULL, 'team', 'third_line', false), (NULL, 'minutes', '5', false), (NULL, 'billable', 'false', false),
    (NULL, 'fix_version', '2.0', true), (NULL, 'fix_release', '2099-12-31', false), (NULL, 'login', 'tt_victim', false), (NULL, 'display_name', 'Ville', true), (NULL, 'lead', 'false', false),
    (NULL, 'version', '2', false),
    -- mail in (tuki mail-in): a contact's mail opens a new ticket; a stranger's is held
    (NULL, 'raw', 'From: x', NULL), (NULL, 'sender', 'paivi@acme.fi', true), (NULL, 'sender_name', 'Päivi', true),
    (NULL, 'message_id', NULL, true), (NULL, 'in_reply_to', NULL, true), (NULL, 'refs', NULL, NULL), (NULL, 'tagged', NULL, NULL),
    (NULL, 'auto_kind', 'personal', NULL), (NULL, 'auto_reason', NULL, NULL),
    (NULL, 'dsn_original', NULL, NULL), (NULL, 'dsn_reason', NULL, NULL), (NULL, 'dsn_permanent', NULL, NULL),
    (NULL, 'filenames', '{}', NULL), (NULL, 'content_types', '{}', NULL), (NULL, 'contents', '{}', NULL),
    (NULL, 'reason', 'unknown sender', true),
    ('mail_receive', 'sender_name', 'Päivi', NULL),   -- a contact's mail: the contact names her
    -- mail out (tuki worker): the fresh ticket's "received" mail
    ('outbox_mark', 'id', ':outbox', false), ('outbox_mark', 'status', 'sent', false), (NULL, 'error', NULL, true),
    (NULL, 'retry_after_seconds', NULL, NULL),
    -- held mail answered by a lead, the monthly report mailed (024): the language is a code; the
    -- report's text goes into the template's text, so only "works or a TK error" applies
    (NULL, 'language', 'fi', false), (NULL, 'month', '2026-10-01', NULL), (NULL, 'again', 'false', NULL),
    ('report_queue', 'report', 'Raportti', NULL), ('report_queue', 'csv', '', NULL),
    -- an entry of work on the fresh ticket, approved afterwards
    (NULL, 'worklog', ':worklog', false),
    -- ticket_edit's contact (an address or a name); a canned reply's name
    (NULL, 'contact', 'paivi@acme.fi', false), (NULL, 'name', 'thanks', false);
-- the leads' administration (sql/023): contact 1 and contract 1 are ACME's above
INSERT INTO sample (function_name, name, value, free_text) VALUES
    ('contact_add', 'name', 'Maija', true), ('contact_add', 'email', 'maija@acme.fi', false),
    ('contact_add', 'phone', '+358 40 1', true), ('contact_add', 'language', 'fi', false),
    ('contact_add', 'may_order_billable', 'false', false), ('contact_add', 'login', NULL, false),
    ('contact_set', 'id', '1', false), ('contact_set', 'field', 'phone', false), ('contact_set', 'value', '+358 40 2', true),
    ('contract_add', 'service_level', 'light', false), ('contract_add', 'calendar', 'fi-8-16', false),
    ('contract_add', 'valid_from', '2040-01-01', false), ('contract_add', 'valid_to', NULL, false),
    ('contract_add', 'quota_minutes', '0', false),
    ('contract_set', 'id', '1', false), ('contract_set', 'field', 'quota', false), ('contract_set', 'value', '600', false),
    ('contract_raise', 'level', 'premium', false), ('contract_raise', 'raise_from', '2030-01-01', false),
    ('contract_raise', 'raise_to', '2030-01-07', false),
    ('calendar_hours_set', 'calendar', 'fi-8-16', false), ('calendar_hours_set', 'isodow', '{6}', false),
    ('calendar_hours_set', 'opens', '{10:00}', false), ('calendar_hours_set', 'closes', '{14:00}', false),
    ('holiday_add', 'calendar', 'fi-8-16', false), ('holiday_add', 'day', '2030-01-02', false), ('holiday_add', 'name', 'Juhla', true),
    ('holiday_remove', 'calendar', 'fi-8-16', false), ('holiday_remove', 'day', '2030-01-01', false);
-- one who is no contact may not order billable work: TK004, as tuki.worklog_approve documents
INSERT INTO sample VALUES ('worklog_approve', 'contact_email', 'paivi@acme.fi', false, '^TK004\|');
-- the customer's own (sql/022): a resolved ticket to reopen; a file's name and type steer the call
INSERT INTO sample VALUES ('ticket_reopen', 'id', ':resolved', false), ('ticket_attach', 'filename', 'loki.txt', NULL),
    ('ticket_attach', 'content_type', 'text/plain', NULL), ('ticket_attach', 'content', '\x6869', false);
-- the sample of argument n of function fn
CREATE FUNCTION pg_temp.sample_of(func oid, arg text) RETURNS sample LANGUAGE sql STABLE AS $$
    SELECT x FROM sample x, pg_proc p WHERE p.oid = func AND x.name = arg AND (x.function_name IS NULL OR x.function_name = p.proname)
     ORDER BY x.function_name IS NULL LIMIT 1
$$;
SELECT is((SELECT string_agg(DISTINCT a.signature || ' ' || n, ', ') FROM api a, unnest(a.names) n
            WHERE pg_temp.sample_of(a.oid, n) IS NULL),
    NULL, 'every argument of the API has a sample value here');

-- one call: a fresh bug ticket held by the lead, with an entry of work and its "received"
-- mail, the argument arg replaced by s; the result, and whether s is now, byte for byte, a
-- value of that ticket, its messages, work log or mail, of a ticket or mail that came in,
-- or of the agent just registered
CREATE FUNCTION pg_temp.try(fn oid, arg text, s text, OUT result text, OUT stored boolean) LANGUAGE plpgsql AS $$
DECLARE
    fresh bigint;
    made jsonb;
    caller text := CASE WHEN has_function_privilege('tt_lead', fn, 'EXECUTE') THEN 'tt_lead'
                        WHEN has_function_privilege('tt_paivi', fn, 'EXECUTE') THEN 'tt_paivi' ELSE 'tt_mail' END;
    resolved bigint;
    last_hold bigint := (SELECT coalesce(max(h.id), 0) FROM tuki.mail_hold h);
    call text;
BEGIN
    fresh := pg_temp.val_as('tt_lead', $q$SELECT tuki.ticket_create('ACME', 'kohde', 'b', 'bug', contact_email => 'paivi@acme.fi')$q$)::bigint;
    PERFORM pg_temp.run_as('tt_lead', format('SELECT tuki.ticket_take(%s)', fresh));
    PERFORM pg_temp.run_as('tt_lead', format('SELECT tuki.worklog_add(%s, 5, false, %L)', fresh, 'tehty'));
    resolved := pg_temp.val_as('tt_lead', $q$SELECT tuki.ticket_create('ACME', 'valmis', 'b', contact_email => 'paivi@acme.fi')$q$)::bigint;
    PERFORM pg_temp.run_as('tt_lead', format('SELECT tuki.ticket_take(%s); SELECT tuki.ticket_set_status(%1$s, ''resolved'', ''tehty'')', resolved));
    made := jsonb_build_object(':ticket', fresh, ':resolved', resolved,
                               ':worklog', (SELECT max(w.id) FROM tuki.worklog w WHERE w.ticket = fresh),
                               ':outbox', (SELECT max(o.id) FROM tuki.outbox o WHERE o.ticket = fresh));
    SELECT format('SELECT %s(%s)', fn::regproc,
                  string_agg(format('%I => %L::%s', u.n,
                                    CASE WHEN u.n = arg THEN s WHEN x.value LIKE ':%' THEN made->>x.value ELSE x.value END, u.t),
                             ', ' ORDER BY u.i))
      INTO call
      FROM api a, unnest(a.names, a.types) WITH ORDINALITY u(n, t, i), pg_temp.sample_of(a.oid, u.n) x
     WHERE a.oid = fn;
    result := pg_temp.err_as(caller, call);
    stored := EXISTS (SELECT 1 FROM tuki.ticket r WHERE r.id = fresh AND s IN (r.subject, r.resolution, r.fix_version))
           OR EXISTS (SELECT 1 FROM tuki.message r WHERE r.ticket IN (fresh, resolved) AND r.body = s)
           OR EXISTS (SELECT 1 FROM tuki.worklog r WHERE r.ticket = fresh AND r.note = s)
           OR EXISTS (SELECT 1 FROM tuki.outbox r WHERE r.ticket = fresh AND s IN (r.last_error, r.message_id))
           OR EXISTS (SELECT 1 FROM tuki.ticket r WHERE r.id > fresh AND r.subject = s)      -- ticket_create's, mail's
           OR EXISTS (SELECT 1 FROM tuki.message r WHERE r.ticket > fresh AND s IN (r.body, r.message_id, r.in_reply_to))
           OR EXISTS (SELECT 1 FROM tuki.mail_hold r WHERE r.id > last_hold
                         AND s IN (r.sender, r.sender_name, r.subject, r.body, r.message_id, r.in_reply_to, r.reason))
           OR EXISTS (SELECT 1 FROM tuki.agent r WHERE r.login = 'tt_victim' AND r.display_name = s)
           OR EXISTS (SELECT 1 FROM tuki.canned_reply r WHERE r.body = s)
           OR EXISTS (SELECT 1 FROM tuki.contact r WHERE s IN (r.name, r.phone))                -- sql/023
           OR EXISTS (SELECT 1 FROM tuki.holiday r WHERE r.name = s);
    -- undo the call: each starts from the same desk (the same Message-ID tried on two
    -- functions is not a duplicate of the other's)
    RAISE SQLSTATE 'TTUND';
EXCEPTION WHEN SQLSTATE 'TTUND' THEN
    RETURN;
END $$;

CREATE TEMP TABLE tried AS
SELECT signature, arg, free_text, refused_with, k, s, (r).result, (r).stored
  FROM (SELECT a.signature, n AS arg, x.free_text, x.refused_with, k, v.s, pg_temp.try(a.oid, n, v.s) AS r
          FROM api a, unnest(a.names, a.types) u(n, t), pg_temp.sample_of(a.oid, u.n) x, nasty v
         WHERE u.t = 'text'::regtype
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
            WHERE NOT free_text AND result !~ refused_with),
    NULL, 'a code, login or address that holds such a string is refused with TK005 or TK006 (TK004: no contact to order billable work)');

SELECT * FROM finish();
ROLLBACK;
