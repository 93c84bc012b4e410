-- The customer's side of the API: a contact's own login files, answers, reopens within the
-- window, closes, attaches and approves billable work through the agents' own functions, which
-- force the contact's customer, author and channel; the timeline and quota show only its own.
BEGIN;
SELECT plan(44);

\ir lib/as_role.psql

CREATE ROLE tt_agent LOGIN;
CREATE ROLE tt_acme LOGIN IN ROLE tuki_customer;
CREATE ROLE tt_boss LOGIN IN ROLE tuki_customer;
CREATE ROLE tt_kone LOGIN IN ROLE tuki_customer;
SELECT tuki.agent_add('tt_agent', 'Aino Agentti', 'second_line');
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy'), ('KONE', 'Konepaja Mäkinen Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from, quota_minutes) VALUES
    ('ACME', 'premium', '24x7', '2020-01-01', 600), ('KONE', 'standard', '24x7', '2020-01-01', 300);
INSERT INTO tuki.contact (customer, name, email, login, may_order_billable, active) VALUES
    ('ACME', 'Päivi Mäkelä', 'paivi@acme.fi', 'tt_acme', false, true),
    ('ACME', 'Pomo Pöllönen', 'pomo@acme.fi', 'tt_boss', true, true),
    ('KONE', 'Jari Mäkinen', 'jari@kone.fi', 'tt_kone', true, true);
CREATE TEMP TABLE ids (name text PRIMARY KEY, id bigint);
GRANT ALL ON ids TO PUBLIC;

-- filing: customer, contact and channel are the contact's whatever it passes
INSERT INTO ids VALUES ('a1', pg_temp.val_as('tt_acme',
    $$SELECT tuki.ticket_create('KONE', 'Tulostin ei tulosta', 'Kolmas kerros', 'incident', 2, 1, 'jari@kone.fi', 'phone')$$)::bigint);
SELECT is((SELECT customer || '/' || channel || '/' || contact FROM tuki.ticket WHERE id = (SELECT id FROM ids WHERE name = 'a1')),
    'ACME/portal/' || (SELECT id FROM tuki.contact WHERE login = 'tt_acme'),
    'a contact''s request is its own customer''s, on channel portal, with itself as contact (KONE, phone and Jari ignored)');
SELECT is((SELECT author || '/' || author_kind || '/' || coalesce(recorded_by, '-') || '/' || channel FROM tuki.message
            WHERE ticket = (SELECT id FROM ids WHERE name = 'a1')),
    'tt_acme/contact/-/portal', 'the request body is the contact''s own words, recorded by nobody else');
SELECT is((SELECT priority FROM tuki.ticket WHERE id = (SELECT id FROM ids WHERE name = 'a1')), 2, 'impact and urgency are taken as given');
INSERT INTO ids VALUES ('k1', tuki.ticket_create('KONE', 'Kone seis', 'Linja 2', contact_email => 'jari@kone.fi'));

-- replying
SELECT is(pg_temp.run_as('tt_acme', format('SELECT tuki.ticket_reply(%s, ''Lisätietoa'')', (SELECT id FROM ids WHERE name = 'a1'))), 'ok',
    'a contact replies on its own ticket');
SELECT is((SELECT string_agg(visibility || ':' || from_customer || ':' || channel, ',') FROM tuki.message
            WHERE ticket = (SELECT id FROM ids WHERE name = 'a1') AND body = 'Lisätietoa'),
    'public:true:portal', 'as a public customer message on channel portal');
SELECT is(pg_temp.err_as('tt_acme', format('SELECT tuki.ticket_reply(%s, ''x'')', (SELECT id FROM ids WHERE name = 'k1'))),
    format('TK006|no ticket #%s|There is no ticket of yours with that number.|Your tickets: SELECT * FROM tuki.portal_tickets();', (SELECT id FROM ids WHERE name = 'k1')),
    'another customer''s ticket is no ticket (TK006), as a missing one');
SELECT is(pg_temp.run_as('tt_acme', format('SELECT tuki.message_add(%s, ''internal'', ''x'')', (SELECT id FROM ids WHERE name = 'a1'))), '42501',
    'message_add is not the contact''s to call');
SELECT is(pg_temp.run_as('tt_acme', format('SELECT tuki.ticket_note(%s, ''x'')', (SELECT id FROM ids WHERE name = 'a1'))), '42501',
    'nor ticket_note: no internal notes');
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_take(%s); SELECT tuki.ticket_set_status(%1$s, ''waiting_customer'')',
    (SELECT id FROM ids WHERE name = 'a1'))), 'ok', 'the agent waits for the customer');
SELECT is(pg_temp.run_as('tt_acme', format('SELECT tuki.ticket_reply(%s, ''Tässä'')', (SELECT id FROM ids WHERE name = 'a1'))), 'ok',
    'the contact answers ...');
SELECT is((SELECT status FROM tuki.ticket WHERE id = (SELECT id FROM ids WHERE name = 'a1')), 'open', '... and the ticket is open again');

-- attaching
SELECT is(pg_temp.run_as('tt_acme', format($$SELECT tuki.ticket_attach(%s, 'loki.txt', '\x68656a'::bytea, 'text/plain')$$,
    (SELECT id FROM ids WHERE name = 'a1'))), 'ok', 'a contact attaches a file');
SELECT is((SELECT f.filename || ':' || f.size || ':' || m.body || ':' || m.from_customer FROM tuki.attachment f JOIN tuki.message m ON m.id = f.message
            WHERE m.ticket = (SELECT id FROM ids WHERE name = 'a1')), 'loki.txt:3:[loki.txt]:true', 'to a public message of its own');
SELECT is(pg_temp.val_as('tt_acme', format('SELECT filename || '':'' || content_type || '':'' || convert_from(content, ''UTF8'') FROM tuki.portal_attachment(%s)',
    (SELECT max(id) FROM tuki.attachment))), 'loki.txt:text/plain:hej', 'the contact saves its file back (tuki.portal_attachment)');
SELECT is(pg_temp.run_as('tt_kone', format('SELECT * FROM tuki.portal_attachment(%s)', (SELECT max(id) FROM tuki.attachment))), 'TK006',
    'another customer''s contact gets no such file');
SELECT is(pg_temp.run_as('tt_acme', format($$SELECT tuki.ticket_attach(%s, 'x.txt', '\x00'::bytea)$$, (SELECT id FROM ids WHERE name = 'k1'))), 'TK006',
    'not to another customer''s ticket');
SELECT is(pg_temp.run_as('tt_acme', format($$SELECT tuki.ticket_attach(%s, '../etc/passwd', '\x00'::bytea)$$, (SELECT id FROM ids WHERE name = 'a1'))), 'TK006',
    'a path is no file name');

-- reopening within the window, closing
SELECT is(pg_temp.run_as('tt_acme', format('SELECT tuki.ticket_reopen(%s)', (SELECT id FROM ids WHERE name = 'a1'))), 'TK001',
    'an open ticket cannot be reopened (TK001)');
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_set_status(%s, ''resolved'', ''Väriaine vaihdettu'')',
    (SELECT id FROM ids WHERE name = 'a1'))), 'ok', 'the agent resolves it');
SELECT is(pg_temp.run_as('tt_kone', format('SELECT tuki.ticket_reopen(%s)', (SELECT id FROM ids WHERE name = 'a1'))), 'TK006',
    'another customer''s contact cannot reopen it');
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_reopen(%s)', (SELECT id FROM ids WHERE name = 'a1'))), '42501',
    'ticket_reopen is the customers''');
SELECT is(pg_temp.run_as('tt_acme', format('SELECT tuki.ticket_reopen(%s, ''Taas rikki'')', (SELECT id FROM ids WHERE name = 'a1'))), 'ok',
    'its contact reopens it within the window');
SELECT is((SELECT status FROM tuki.ticket WHERE id = (SELECT id FROM ids WHERE name = 'a1')), 'open', 'it is open');
SELECT is((SELECT count(*)::int FROM tuki.message WHERE ticket = (SELECT id FROM ids WHERE name = 'a1') AND body = 'Taas rikki' AND from_customer), 1,
    'with the contact''s message');
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_set_status(%s, ''resolved'', ''Nyt toimii'')',
    (SELECT id FROM ids WHERE name = 'a1'))), 'ok', 'resolved again');
UPDATE tuki.setting SET value = '0' WHERE key = 'reopen_days';
SELECT is(pg_temp.err_as('tt_acme', format('SELECT tuki.ticket_reopen(%s)', (SELECT id FROM ids WHERE name = 'a1'))) LIKE
    format('TK001|ticket #%s can no longer be reopened|%%reopen window of 0 days%%', (SELECT id FROM ids WHERE name = 'a1')), true,
    'after the reopen window (setting reopen_days) it cannot: TK001 naming the window');
SELECT is((SELECT sla FROM tuki.portal_tickets() WHERE id = (SELECT id FROM ids WHERE name = 'a1')), 'resolved', 'the list says resolved, no window left');
UPDATE tuki.setting SET value = '14' WHERE key = 'reopen_days';
SELECT is((SELECT sla || ':' || (due = resolved_at + interval '14 days') FROM tuki.portal_tickets() p JOIN tuki.ticket t USING (id)
            WHERE id = (SELECT id FROM ids WHERE name = 'a1')), 'reopen_until:true', 'within it: reopen_until, due at the end of the window');
SELECT is(pg_temp.run_as('tt_acme', format('SELECT tuki.ticket_close(%s)', (SELECT id FROM ids WHERE name = 'k1'))), 'TK006',
    'a contact cannot close another customer''s ticket');
SELECT is(pg_temp.run_as('tt_acme', format('SELECT tuki.ticket_close(%s)', (SELECT id FROM ids WHERE name = 'a1'))), 'ok',
    'it closes its own resolved ticket');
SELECT is((SELECT status FROM tuki.ticket WHERE id = (SELECT id FROM ids WHERE name = 'a1')), 'closed', 'which is closed');

-- billable approval
INSERT INTO ids VALUES ('a2', pg_temp.val_as('tt_acme', $$SELECT tuki.ticket_create('ACME', 'Uusi raportti', 'Tarvitaan raportti')$$)::bigint);
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.worklog_add(%s, 90, false, ''arvio'')', (SELECT id FROM ids WHERE name = 'a2'))), 'ok',
    'the agent logs work that needs an order');
INSERT INTO ids VALUES ('w', (SELECT max(id) FROM tuki.worklog));
SELECT is(pg_temp.err_as('tt_acme', format('SELECT tuki.worklog_approve(%s)', (SELECT id FROM ids WHERE name = 'w'))),
    format('TK004|billable work on ticket #%s needs a contact who may order it|Päivi Mäkelä is not authorised. Contacts of ACME who may order billable work: Pomo Pöllönen.|Ask one of them to approve it.',
           (SELECT id FROM ids WHERE name = 'a2')),
    'an unauthorised contact gets TK004 naming who may approve');
SELECT is(pg_temp.run_as('tt_kone', format('SELECT tuki.worklog_approve(%s)', (SELECT id FROM ids WHERE name = 'w'))), 'TK006',
    'another customer''s authorised contact cannot approve it (no such entry)');
SELECT is(pg_temp.run_as('tt_boss', format('SELECT tuki.worklog_approve(%s, ''paivi@acme.fi'')', (SELECT id FROM ids WHERE name = 'w'))), 'ok',
    'an authorised contact approves it (as itself, whatever address it names)');
SELECT is((SELECT billable || ':' || c.name FROM tuki.worklog w JOIN tuki.contact c ON c.id = w.approved_by WHERE w.id = (SELECT id FROM ids WHERE name = 'w')),
    'true:Pomo Pöllönen', 'the work log records the approver');
SELECT is((SELECT actor FROM tuki.ticket_event WHERE kind = 'worklog_approved'), 'tt_boss', 'and the event its login');

-- the timeline: public messages and customer-facing events only
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_note(%s, ''SALAINEN muistiinpano''); SELECT tuki.ticket_reply(%1$s, ''Teemme sen'')',
    (SELECT id FROM ids WHERE name = 'a2'))), 'ok', 'the agent writes a note and a reply');
SELECT is(pg_temp.val_as('tt_acme', format($$SELECT string_agg(kind || ':' || coalesce(author, '') || ':' || coalesce(body, ''), ' | ' ORDER BY at)
    FROM tuki.portal_timeline(%s)$$, (SELECT id FROM ids WHERE name = 'a2'))),
    'created:: | message:Päivi Mäkelä:Tarvitaan raportti | message:Aino Agentti:Teemme sen | worklog_approved::90 min, Pomo Pöllönen',
    'the contact''s timeline: the request, the status, the approval and the reply; no note, no work log note');
SELECT is(pg_temp.run_as('tt_kone', format('SELECT * FROM tuki.portal_timeline(%s)', (SELECT id FROM ids WHERE name = 'a2'))), 'TK006',
    'another customer''s timeline is TK006');
SELECT is(pg_temp.val_as('tt_acme', 'SELECT string_agg(id::text, '','' ORDER BY id) FROM tuki.portal_tickets()'),
    (SELECT string_agg(id::text, ',' ORDER BY id) FROM ids WHERE name IN ('a1', 'a2')), 'the contact''s list: its own tickets');
SELECT is(pg_temp.val_as('tt_acme', 'SELECT string_agg(id || ''='' || sla, '','') FROM tuki.portal_tickets()'),
    format('%s=resolve_due,%s=closed', (SELECT id FROM ids WHERE name = 'a2'), (SELECT id FROM ids WHERE name = 'a1')),
    'open ones first; once answered, the resolution is due');
INSERT INTO ids VALUES ('a3', pg_temp.val_as('tt_acme', $$SELECT tuki.ticket_create('ACME', 'Kolmas', 'x')$$)::bigint);
SELECT is(pg_temp.val_as('tt_acme', format('SELECT sla || '':'' || (due = response_due) FROM tuki.portal_tickets() JOIN tuki.ticket USING (id) WHERE id = %s',
    (SELECT id FROM ids WHERE name = 'a3'))), 'answer_due:true', 'a new request waits for an answer, due at the response deadline');
SELECT is(pg_temp.val_as('tt_acme', 'SELECT string_agg(concat_ws('':'', customer, quota_minutes, used_minutes, left_minutes, billable_minutes), '','') FROM tuki.portal_quota()'),
    'ACME:600:0:600:90', 'this month''s quota of its own customer only: 600, none used, 90 billable');

SELECT * FROM finish();
ROLLBACK;
