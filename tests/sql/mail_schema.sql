-- Mail in the schema (016_mail.sql): whose words are whose, intake with threading and holding,
-- attachments and their cap, the outbox written with the change, templates and languages,
-- bounces, leads attaching or discarding held mail.
BEGIN;
SELECT plan(62);

\ir lib/as_role.psql

CREATE ROLE tt_agent LOGIN;
CREATE ROLE tt_lead LOGIN;
CREATE ROLE tt_mail LOGIN IN ROLE tuki_system;
SELECT tuki.agent_add('tt_agent', 'Aino Agentti', 'second_line');
SELECT tuki.agent_add('tt_lead', 'Lauri Liidi', NULL, true);
INSERT INTO tuki.customer (code, name, language) VALUES ('ACME', 'Acme Oy', NULL), ('TATRA', 'Tatra Softvér s.r.o.', 'sk'),
    ('GLOBAL', 'Global Ltd', 'en'), ('OLD', 'Lopettanut Oy', NULL);
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from, valid_to) VALUES
    ('ACME', 'premium', '24x7', '2020-01-01', NULL), ('TATRA', 'standard', '24x7', '2020-01-01', NULL),
    ('GLOBAL', 'standard', '24x7', '2020-01-01', NULL), ('OLD', 'standard', '24x7', '2020-01-01', '2021-12-31');
INSERT INTO tuki.contact (customer, name, email, may_order_billable, language) VALUES
    ('ACME', 'Päivi Mäkelä', 'Paivi@Acme.fi', true, NULL),
    ('TATRA', 'Žofia Kováčová', 'zofia@tatrasoft.sk', false, NULL),
    ('GLOBAL', 'John Smith', 'john@global.example', false, 'fi'),
    ('OLD', 'Olli Vanha', 'olli@old.fi', false, NULL);

-- the desk's intake, as tuki mail-in calls it
CREATE FUNCTION pg_temp.receive(sender text, subject text, body text, message_id text, in_reply_to text DEFAULT NULL,
                                tagged bigint DEFAULT NULL, auto_kind text DEFAULT 'personal', refs text[] DEFAULT '{}',
                                names text[] DEFAULT '{}', types text[] DEFAULT '{}', contents bytea[] DEFAULT '{}',
                                dsn_original text DEFAULT NULL, dsn_reason text DEFAULT NULL) RETURNS text
    LANGUAGE plpgsql AS $$
DECLARE v text;
BEGIN
    PERFORM set_config('tuki.system', 'on', true);
    SET SESSION AUTHORIZATION tt_mail;
    v := tuki.mail_receive(convert_to(coalesce(body, ''), 'UTF8'), sender, NULL, subject, body, message_id, in_reply_to,
                           refs, tagged, auto_kind, CASE WHEN auto_kind <> 'personal' THEN 'Auto-Submitted' END,
                           dsn_original, dsn_reason, true, names, types, contents);
    RESET SESSION AUTHORIZATION;
    PERFORM set_config('tuki.system', '', true);
    RETURN v;
END $$;
CREATE FUNCTION pg_temp.ticket_of(result text) RETURNS bigint LANGUAGE sql AS $$
    SELECT (regexp_match(result, 'ticket (\d+)'))[1]::bigint $$;

-- a new ticket from a named contact's mail
SELECT matches(pg_temp.receive('paivi@acme.fi', 'Laskutus ei toimi', E'Hei,\nlaskutus pysähtyi.', 'a1@acme.fi'),
               '^stored ticket \d+ message \d+$', 'a contact''s mail (address matched case-insensitively) is stored');
CREATE TEMP TABLE t1 AS SELECT pg_temp.ticket_of(r) AS id FROM (SELECT 'ticket ' || max(id) AS r FROM tuki.ticket) x;
SELECT is((SELECT row(customer, channel, subject, status)::text FROM tuki.ticket WHERE id = (SELECT id FROM t1)),
          '(ACME,email,"Laskutus ei toimi",new)', 'it opened an email ticket of the contact''s customer');
SELECT is((SELECT row(author_kind, author, recorded_by, contact IS NOT NULL, message_id, from_customer)::text
             FROM tuki.message WHERE ticket = (SELECT id FROM t1)),
          '(contact,system,,t,a1@acme.fi,t)', 'the message is the contact''s words, stored by the system, recorded by nobody');
SELECT is((SELECT string_agg(DISTINCT actor, ',') FROM tuki.ticket_event WHERE ticket = (SELECT id FROM t1)), 'system',
          'every event of the mailed-in ticket names the system, never an agent');
SELECT is((SELECT row(kind, recipient, subject)::text FROM tuki.outbox WHERE ticket = (SELECT id FROM t1)),
          '(received,Paivi@Acme.fi,"Vastaanotettu: Laskutus ei toimi")', 'the contact is told it was received, in the desk''s language (fi)');
SELECT matches((SELECT body FROM tuki.outbox WHERE ticket = (SELECT id FROM t1)), 'numero on #' || (SELECT id FROM t1),
               'the received mail names the ticket number');

-- once only
SELECT is(pg_temp.receive('paivi@acme.fi', 'Laskutus ei toimi', 'again', 'a1@acme.fi'), 'duplicate',
          'the same Message-ID a second time is a duplicate');
SELECT is((SELECT count(*) FROM tuki.message WHERE message_id = 'a1@acme.fi'), 1::bigint, '... and stored once');

-- threading
SELECT is(pg_temp.ticket_of(pg_temp.receive('paivi@acme.fi', 'Re: x', 'tagged', 'a2@acme.fi', tagged => (SELECT id FROM t1))),
          (SELECT id FROM t1), 'the [tuki #N] tag threads onto that ticket');
SELECT is(pg_temp.ticket_of(pg_temp.receive('paivi@acme.fi', 'no tag', 'by in-reply-to', 'a3@acme.fi', in_reply_to => 'a1@acme.fi')),
          (SELECT id FROM t1), 'In-Reply-To a stored message threads onto its ticket');
SELECT is(pg_temp.ticket_of(pg_temp.receive('paivi@acme.fi', 'no tag', 'by references', 'a4@acme.fi', refs => ARRAY['zz@x', 'a2@acme.fi'])),
          (SELECT id FROM t1), 'References to a stored message thread too');
SELECT isnt(pg_temp.ticket_of(pg_temp.receive('zofia@tatrasoft.sk', 'cudzí tag', 'iný zákazník', 'z1@tatrasoft.sk', tagged => (SELECT id FROM t1))),
            (SELECT id FROM t1), 'a tag naming another customer''s ticket does not thread (a new ticket instead)');

-- replies go out with the change, and not when it is rolled back
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_take(%s)', (SELECT id FROM t1))), 'ok', 'the agent takes it');
SAVEPOINT before_reply;
SELECT is(pg_temp.run_as('tt_agent', format($q$SELECT tuki.ticket_reply(%s, 'Korjattu, kokeilkaa uudelleen.')$q$, (SELECT id FROM t1))), 'ok', 'a reply');
SELECT is((SELECT row(kind, subject, body)::text FROM tuki.outbox WHERE ticket = (SELECT id FROM t1) AND kind = 'reply'),
          E'(reply,"Re: Laskutus ei toimi","Korjattu, kokeilkaa uudelleen.\n\n-- \nTuki")', 'the reply is in the outbox in the same transaction');
SELECT is((SELECT row(author_kind, author)::text FROM tuki.message WHERE ticket = (SELECT id FROM t1) AND NOT from_customer),
          '(agent,tt_agent)', 'the agent''s reply is the agent''s');
ROLLBACK TO before_reply;
SELECT is((SELECT count(*) FROM tuki.outbox WHERE ticket = (SELECT id FROM t1) AND kind = 'reply'), 0::bigint,
          'a rolled-back reply leaves nothing to send');
SELECT is(pg_temp.run_as('tt_agent', format($q$SELECT tuki.ticket_set_status(%s, 'waiting_customer')$q$, (SELECT id FROM t1))), 'ok', 'waiting for the customer');
SELECT is((SELECT subject FROM tuki.outbox WHERE ticket = (SELECT id FROM t1) AND kind = 'waiting'), 'Odotamme vastaustanne: Laskutus ei toimi',
          'waiting for the customer is told');
SELECT matches(pg_temp.receive('paivi@acme.fi', 'Re: x', 'tässä tiedot', 'a5@acme.fi', tagged => (SELECT id FROM t1)), '^stored', 'the customer answers');
SELECT is((SELECT status FROM tuki.ticket WHERE id = (SELECT id FROM t1)), 'open', 'the answer puts a waiting ticket back to open');
SELECT is(pg_temp.run_as('tt_agent', format($q$SELECT tuki.ticket_set_status(%s, 'resolved', 'Ajuri päivitetty.')$q$, (SELECT id FROM t1))), 'ok', 'resolved');
SELECT matches((SELECT body FROM tuki.outbox WHERE ticket = (SELECT id FROM t1) AND kind = 'resolved'), 'Ajuri päivitetty\.',
               'the resolved mail carries the resolution note');
SELECT is(pg_temp.run_as('tt_agent', format($q$SELECT tuki.ticket_set_status(%s, 'closed')$q$, (SELECT id FROM t1))), 'ok', 'closed');
SELECT is((SELECT count(*) FROM tuki.outbox WHERE ticket = (SELECT id FROM t1) AND kind = 'closed'), 1::bigint, 'closing is told');
SELECT isnt(pg_temp.ticket_of(pg_temp.receive('paivi@acme.fi', 'Re: x', 'vielä', 'a6@acme.fi', tagged => (SELECT id FROM t1))),
            (SELECT id FROM t1), 'mail about a closed ticket opens a new one (closed is final)');


-- the reopen window (tuki.mail_setting reopen_days, 14 by default)
SELECT is((SELECT value FROM tuki.mail_setting WHERE name = 'reopen_days'), '14', 'the reopen window is 14 days by default');
CREATE TEMP TABLE t2 AS SELECT pg_temp.ticket_of(pg_temp.receive('paivi@acme.fi', 'Varmuuskopio', 'ei käynnisty', 'r1@acme.fi')) AS id;
SELECT is(pg_temp.run_as('tt_agent', format($q$SELECT tuki.ticket_take(%s)$q$, (SELECT id FROM t2)))
          || pg_temp.run_as('tt_agent', format($q$SELECT tuki.ticket_set_status(%s, 'resolved', 'Ajastus korjattu.')$q$, (SELECT id FROM t2))),
          'okok', 'taken and resolved');
SELECT is(pg_temp.ticket_of(pg_temp.receive('paivi@acme.fi', 'Re: Varmuuskopio', 'ei toimi vieläkään', 'r2@acme.fi', in_reply_to => 'r1@acme.fi')),
          (SELECT id FROM t2), 'mail about a ticket resolved within the window joins it');
SELECT is((SELECT status FROM tuki.ticket WHERE id = (SELECT id FROM t2)), 'open', '... and reopens it');
SELECT is(pg_temp.run_as('tt_agent', format($q$SELECT tuki.ticket_set_status(%s, 'resolved', 'Nyt korjattu.')$q$, (SELECT id FROM t2))),
          'ok', 'resolved again');
-- resolved 15 days ago: the history triggers fire always, the derived timestamps' guard not in replica mode
SET LOCAL session_replication_role = replica;
UPDATE tuki.ticket SET resolved_at = resolved_at - interval '15 days' WHERE id = (SELECT id FROM t2);
SET LOCAL session_replication_role = origin;
CREATE TEMP TABLE t3 AS SELECT pg_temp.ticket_of(pg_temp.receive('paivi@acme.fi', 'Re: Varmuuskopio', 'taas rikki', 'r3@acme.fi', in_reply_to => 'r2@acme.fi')) AS id;
SELECT isnt((SELECT id FROM t3), (SELECT id FROM t2), 'mail after the window opens a new ticket');
SELECT is((SELECT status FROM tuki.ticket WHERE id = (SELECT id FROM t2)), 'resolved', '... and the old one stays resolved');
SELECT is((SELECT body FROM tuki.message WHERE ticket = (SELECT id FROM t3) AND visibility = 'internal'),
          format('Jatkoa pyynnölle #%s: asiakkaan viesti tuli, kun pyyntö oli jo suljettu tai ratkaistu yli uudelleenavaamisen ajan sitten.', (SELECT id FROM t2)),
          'the new ticket refers to the old one in an internal note');
SELECT is((SELECT row(author_kind, author)::text FROM tuki.message WHERE ticket = (SELECT id FROM t3) AND visibility = 'internal'),
          '(system,system)', '... written by the system');

-- languages: contact, else customer, else desk; templates change without rebuilding
SELECT is((SELECT subject FROM tuki.outbox WHERE recipient = 'zofia@tatrasoft.sk' AND kind = 'received'), 'Prijaté: cudzí tag',
          'the customer''s language (sk) when the contact has none');
SELECT matches(pg_temp.receive('john@global.example', 'Printer', 'broken', 'j1@global.example'), '^stored', 'a contact with their own language');
SELECT is((SELECT subject FROM tuki.outbox WHERE recipient = 'john@global.example'), 'Vastaanotettu: Printer',
          'the contact''s language (fi) before the customer''s (en)');
UPDATE tuki.mail_template SET subject = 'Saimme viestinne: {subject}' WHERE kind = 'received' AND language = 'fi';
SELECT matches(pg_temp.receive('paivi@acme.fi', 'Uusi', 'x', 'a7@acme.fi'), '^stored', 'another ticket');
SELECT is((SELECT subject FROM tuki.outbox WHERE kind = 'received' ORDER BY id DESC LIMIT 1), 'Saimme viestinne: Uusi',
          'a changed template is used at once');

-- held mail: strangers, automatic mail, customers without a contract
SELECT matches(pg_temp.receive('stranger@elsewhere.fi', 'Apua', 'auttakaa', 's1@elsewhere.fi'), '^held \d+$', 'an unknown sender is held');
SELECT is((SELECT reason FROM tuki.mail_hold WHERE message_id = 's1@elsewhere.fi'), 'unknown sender', '... with the reason');
SELECT is((SELECT count(*) FROM tuki.outbox WHERE recipient = 'stranger@elsewhere.fi'), 0::bigint, '... and answered by nobody');
SELECT is(pg_temp.receive('stranger@elsewhere.fi', 'Apua', 'auttakaa', 's1@elsewhere.fi'), 'duplicate', 'held once');
CREATE TEMP TABLE outbox_before AS SELECT count(*) AS n FROM tuki.outbox;
SELECT matches(pg_temp.receive('paivi@acme.fi', 'Automaattinen vastaus', 'lomalla', 'ooo@acme.fi', auto_kind => 'auto_reply'),
               '^held', 'an out-of-office reply from a contact is held, not stored as work');
SELECT is((SELECT count(*) FROM tuki.outbox), (SELECT n FROM outbox_before), '... and causes no outgoing mail');
SELECT matches(pg_temp.receive('olli@old.fi', 'Vanha', 'x', 'o1@old.fi'), '^held', 'a contact whose customer has no contract is held');

-- attachments and the cap
UPDATE tuki.mail_setting SET value = '10' WHERE name = 'attachment_cap_bytes';
SELECT matches(pg_temp.receive('paivi@acme.fi', 'Liitteet', 'kaksi liitettä', 'att@acme.fi',
                               names => ARRAY['loki päivältä.txt', 'iso.bin'], types => ARRAY['text/plain', 'application/octet-stream'],
                               contents => ARRAY[convert_to('abcdef', 'UTF8'), '\x000102030405060708'::bytea]),
               '^stored', 'a mail with two files');
SELECT is((SELECT string_agg(concat_ws(' ', filename, content_type, size, content IS NOT NULL, encode(sha256, 'hex') = encode(sha256(convert_to('abcdef', 'UTF8')), 'hex')), '; ' ORDER BY id)
             FROM tuki.attachment WHERE message = (SELECT id FROM tuki.message WHERE message_id = 'att@acme.fi')),
          'loki päivältä.txt text/plain 6 t t; iso.bin application/octet-stream 9 f f',
          'files are kept with name, type, size and SHA-256 until the message''s total passes the cap');
SELECT matches((SELECT note FROM tuki.attachment WHERE filename = 'iso.bin'), '^not kept: the files of one mail may total 10 bytes',
               'the file over the cap is a note that says so');

-- bounces of the desk's own mail
UPDATE tuki.outbox SET message_id = 'out-1@vendor.example' WHERE id = (SELECT min(id) FROM tuki.outbox WHERE recipient = 'john@global.example');
SELECT matches(pg_temp.receive('mailer-daemon@mx.example', 'Undelivered', 'report', 'dsn1@mx.example', auto_kind => 'bounce',
                            dsn_original => 'out-1@vendor.example', dsn_reason => '5.1.1 user unknown'),
            '^bounce outbox \d+$', 'a bounce of our own mail is recognised');
SELECT is((SELECT row(status, last_error)::text FROM tuki.outbox WHERE message_id = 'out-1@vendor.example'), '(failed,"5.1.1 user unknown")',
          'the outgoing mail is marked failed with the reason');
SELECT matches((SELECT m.body FROM tuki.message m JOIN tuki.outbox o ON o.ticket = m.ticket
                 WHERE o.message_id = 'out-1@vendor.example' AND m.visibility = 'internal'), '5\.1\.1 user unknown',
               'the reason is shown on the ticket as an internal note');
SELECT is((SELECT count(*) FROM tuki.mail_hold WHERE message_id = 'dsn1@mx.example'), 0::bigint, 'the bounce itself becomes no ticket and is not held');

-- leads decide about held mail
SELECT is(pg_temp.err_as('tt_agent', format('SELECT tuki.mail_hold_attach(%s, %L)', (SELECT id FROM tuki.mail_hold WHERE message_id = 's1@elsewhere.fi'), 'ACME')),
          'TK005|only leads attach held mail to a customer|Held mail is from someone who is not a named contact; a lead decides.|Ask a lead.',
          'agents cannot attach held mail');
SELECT matches(pg_temp.val_as('tt_lead', format('SELECT tuki.mail_hold_attach(%s, %L)', (SELECT id FROM tuki.mail_hold WHERE message_id = 's1@elsewhere.fi'), 'ACME')),
               '^stored ticket \d+', 'a lead attaches it to a customer');
SELECT is((SELECT row(t.customer, c.email, c.may_order_billable, m.author_kind)::text FROM tuki.message m JOIN tuki.ticket t ON t.id = m.ticket
             JOIN tuki.contact c ON c.id = m.contact WHERE m.message_id = 's1@elsewhere.fi'),
          '(ACME,stranger@elsewhere.fi,f,contact)', 'the sender became a contact (not billable) and the mail a ticket of that customer');
SELECT is((SELECT count(*) FROM tuki.mail_hold WHERE message_id = 's1@elsewhere.fi'), 0::bigint, 'and is no longer held');
SELECT is(pg_temp.run_as('tt_lead', format('SELECT tuki.mail_hold_discard(%s)', (SELECT id FROM tuki.mail_hold WHERE message_id = 'ooo@acme.fi'))), 'ok',
          'a lead discards held mail');

-- an agent records a customer's call
SELECT is(pg_temp.run_as('tt_agent', format($q$SELECT tuki.ticket_record(%s, 'Soitti: tulostin toimii taas.')$q$,
                                            (SELECT max(t.id) FROM tuki.ticket t JOIN tuki.contact c ON c.id = t.contact WHERE c.email = 'Paivi@Acme.fi' AND t.status <> 'closed'))), 'ok',
          'an agent records a phone call');
SELECT is((SELECT row(author_kind, recorded_by, channel, c.name)::text FROM tuki.message m JOIN tuki.contact c ON c.id = m.contact
            WHERE body = 'Soitti: tulostin toimii taas.'), '(contact,tt_agent,phone,"Päivi Mäkelä")',
          'the call is the contact''s words, recorded by the agent');
SELECT matches(pg_temp.err_as('tt_agent', format($q$SELECT tuki.ticket_record(%s, 'x', 'phone', 'nobody@acme.fi')$q$,
                                                 (SELECT max(t.id) FROM tuki.ticket t JOIN tuki.contact c ON c.id = t.contact WHERE c.email = 'Paivi@Acme.fi' AND t.status <> 'closed'))),
               '^TK006\|no contact nobody@acme.fi at customer ACME\|', 'recording as someone who is no contact: TK006');

SELECT * FROM finish();
ROLLBACK;
