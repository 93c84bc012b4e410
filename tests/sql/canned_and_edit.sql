-- Canned replies (rendering, who may keep them) and editing a ticket (tuki.ticket_edit: the
-- fields, the events the timeline reads, refusals with their TK codes, the grants); a ticket
-- recorded from a phone call (the contact's words, recorded by the agent).
BEGIN;
SELECT plan(44);

\ir lib/as_role.psql

CREATE ROLE tt_agent LOGIN;
CREATE ROLE tt_other LOGIN;
CREATE ROLE tt_lead LOGIN;
CREATE ROLE tt_acme LOGIN IN ROLE tuki_customer;
SELECT tuki.agent_add('tt_agent', 'Aino Agentti', 'second_line');
SELECT tuki.agent_add('tt_other', 'Olli Toinen', 'second_line');
SELECT tuki.agent_add('tt_lead', 'Lauri Liidi', NULL, true);
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy'), ('KONE', 'Konepaja Mäkinen Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES
    ('ACME', 'premium', 'fi-8-16', '2020-01-01'), ('KONE', 'light', 'fi-9-17', '2020-01-01');
INSERT INTO tuki.contact (customer, name, email, login) VALUES
    ('ACME', 'Päivi Mäkelä', 'paivi@acme.fi', 'tt_acme'), ('ACME', 'Ville Virtanen', 'ville@acme.fi', NULL),
    ('ACME', 'Matti Meikäläinen', 'matti1@acme.fi', NULL), ('ACME', 'Matti Meikäläinen', 'matti2@acme.fi', NULL),
    ('KONE', 'Kalle Kone', 'kalle@kone.fi', NULL);

-- canned replies: leads keep them, agents render them
SELECT is(pg_temp.val_as('tt_lead', $$SELECT tuki.canned_set('thanks', E'Hei {contact},\n\nkiitos viestistä (#{ticket}).\n\n{agent}, {customer} — {unknown}')$$),
    'true', 'a lead adds a canned reply');
SELECT is(pg_temp.val_as('tt_lead', $$SELECT tuki.canned_set('thanks', E'Hei {contact},\n\nkiitos (#{ticket}).\n\n{agent} / {customer} {unknown}')$$),
    'false', 'the same name again changes its text');
SELECT is((SELECT updated_by FROM tuki.canned_reply WHERE name = 'thanks'), 'tt_lead', 'who wrote it is recorded');
SELECT matches(pg_temp.err_as('tt_agent', $$SELECT tuki.canned_set('mine', 'x')$$),
    '^TK005\|only a lead may change canned replies\|', 'an agent may not add one (TK005)');
SELECT matches(pg_temp.err_as('tt_agent', $$SELECT tuki.canned_remove('thanks')$$),
    '^TK005\|', 'nor remove one (TK005)');
SELECT is(pg_temp.run_as('tt_acme', $$SELECT tuki.canned_set('x', 'y')$$), '42501', 'a customer may not run canned_set at all');
SELECT is(pg_temp.run_as('tt_acme', $$SELECT * FROM tuki.canned_reply$$), '42501', 'nor read the canned replies');
SELECT is(pg_temp.run_as('tt_agent', $$SELECT * FROM tuki.canned_reply$$), 'ok', 'agents read them');
SELECT matches(pg_temp.err_as('tt_lead', q), re, what)
  FROM (VALUES
    ('a name with capitals', $$SELECT tuki.canned_set('Thanks', 'x')$$, '^TK006\|invalid canned reply name ''Thanks''\|'),
    ('a name with a space', $$SELECT tuki.canned_set('two words', 'x')$$, '^TK006\|invalid canned reply name'),
    ('a blank body', $$SELECT tuki.canned_set('blank', E' \n ')$$, '^TK006\|canned reply is empty\|'),
    ('a body over the limit', $$SELECT tuki.canned_set('huge', repeat('x', (tuki.limit_of('message_body') + 1)::int))$$, '^TK009\|'),
    ('removing an unknown one', $$SELECT tuki.canned_remove('nope')$$, '^TK006\|no canned reply ''nope''\|Canned replies: thanks\.\|')
  ) x(what, q, re);

CREATE TEMP TABLE k AS SELECT pg_temp.val_as('tt_agent',
    $$SELECT tuki.ticket_create('ACME', 'VPN katkeilee', E'Yhteys katkeaa\ntunnin välein.', 'incident', 2, 2, 'Päivi Mäkelä', 'phone')$$)::bigint AS id;
GRANT SELECT ON k TO PUBLIC;

SELECT is(pg_temp.val_as('tt_agent', format($$SELECT tuki.canned_render('thanks', %s)$$, (SELECT id FROM k))),
    format(E'Hei Päivi Mäkelä,\n\nkiitos (#%s).\n\nAino Agentti / Acme Oy {unknown}', (SELECT id FROM k)),
    'canned_render fills in contact, ticket, agent and customer; unknown braces stay');
CREATE TEMP TABLE k2 AS SELECT tuki.ticket_create('KONE', 'ei yhteyshenkilöä', NULL) AS id;
SELECT is(pg_temp.val_as('tt_lead', format($$SELECT tuki.canned_render('thanks', %s)$$, (SELECT id FROM k2))),
    format(E'Hei Konepaja Mäkinen Oy,\n\nkiitos (#%s).\n\nLauri Liidi / Konepaja Mäkinen Oy {unknown}', (SELECT id FROM k2)),
    'no contact: the customer''s name; the agent is whoever renders');
UPDATE tuki.contact SET name = '{agent}' WHERE email = 'ville@acme.fi';
CREATE TEMP TABLE k3 AS SELECT tuki.ticket_create('ACME', 'nimi', NULL, contact_email => 'ville@acme.fi') AS id;
SELECT is(pg_temp.val_as('tt_agent', format($$SELECT tuki.canned_render('thanks', %s)$$, (SELECT id FROM k3))),
    format(E'Hei {agent},\n\nkiitos (#%s).\n\nAino Agentti / Acme Oy {unknown}', (SELECT id FROM k3)),
    'one pass: a name that reads like a placeholder is not replaced again');
UPDATE tuki.contact SET name = 'Ville Virtanen' WHERE email = 'ville@acme.fi';
SELECT matches(pg_temp.err_as('tt_agent', $$SELECT tuki.canned_render('nope', 1)$$),
    '^TK006\|no canned reply ''nope''\|Canned replies: thanks\.\|', 'an unknown canned reply: TK006 naming the known ones');
SELECT matches(pg_temp.err_as('tt_agent', $$SELECT tuki.canned_render('thanks', 424242)$$),
    '^TK006\|no ticket #424242\|', 'an unknown ticket: TK006');
SELECT is(pg_temp.run_as('tt_acme', $$SELECT tuki.canned_render('thanks', 1)$$), '42501', 'customers may not render');
SELECT is(pg_temp.run_as('tt_lead', $$SELECT tuki.canned_remove('thanks')$$), 'ok', 'a lead removes one');
SELECT is((SELECT count(*)::int FROM tuki.canned_reply), 0, 'and it is gone');

-- a ticket taken on the phone: the contact (named by name) wrote the request, the agent recorded it
SELECT results_eq(format($$SELECT t.channel, c.name, m.author_kind, m.recorded_by, m.channel, m.body
                             FROM tuki.ticket t JOIN tuki.contact c ON c.id = t.contact
                             JOIN tuki.message m ON m.ticket = t.id WHERE t.id = %s$$, (SELECT id FROM k)),
    $$VALUES ('phone'::text, 'Päivi Mäkelä'::text, 'contact'::text, 'tt_agent'::text, 'phone'::text, E'Yhteys katkeaa\ntunnin välein.'::text)$$,
    'a phone ticket: channel phone, the contact as the author of its first message, recorded by the agent');
SELECT matches(pg_temp.err_as('tt_agent', $$SELECT tuki.ticket_create('ACME', 's', 'b', contact_email => 'Matti Meikäläinen')$$),
    '^TK006\|2 contacts at customer ACME are called Matti Meikäläinen\|Their addresses: matti1@acme.fi, matti2@acme.fi\.\|',
    'a name two contacts share: TK006 asking for the address');

-- edit: type and contact in one go, one edit event naming both
SELECT is(pg_temp.val_as('tt_agent', format($$SELECT tuki.ticket_edit(%s, type => 'bug', contact => 'VILLE@acme.fi')$$, (SELECT id FROM k))),
    '2', 'ticket_edit changes type and contact and says how many fields changed');
SELECT results_eq(format($$SELECT type, (SELECT email FROM tuki.contact c WHERE c.id = t.contact) FROM tuki.ticket t WHERE id = %s$$, (SELECT id FROM k)),
    $$VALUES ('bug'::text, 'ville@acme.fi'::text)$$, 'the ticket has the new type and contact');
SELECT results_eq(format($$SELECT actor, detail FROM tuki.ticket_event WHERE ticket = %s AND kind = 'edit' ORDER BY id$$, (SELECT id FROM k)),
    format($$VALUES ('tt_agent'::text, '{"type": {"from": "incident", "to": "bug"}, "contact": {"from": %s, "to": %s}}'::jsonb)$$,
           (SELECT id FROM tuki.contact WHERE email = 'paivi@acme.fi'), (SELECT id FROM tuki.contact WHERE email = 'ville@acme.fi')),
    'one edit event names each field with its old and new value');
SELECT is(pg_temp.val_as('tt_agent', format($$SELECT tuki.ticket_edit(%s, subject => 'VPN katkeaa tunneittain', channel => 'email')$$, (SELECT id FROM k))),
    '2', 'subject and channel');
SELECT results_eq(format($$SELECT detail FROM tuki.ticket_event WHERE ticket = %s AND kind = 'edit' ORDER BY id DESC LIMIT 1$$, (SELECT id FROM k)),
    $$VALUES ('{"subject": {"from": "VPN katkeilee", "to": "VPN katkeaa tunneittain"}, "channel": {"from": "phone", "to": "email"}}'::jsonb)$$,
    'the channel is part of the edit event too');
SELECT is(pg_temp.val_as('tt_agent', format($$SELECT tuki.ticket_edit(%s, type => 'bug', channel => 'email')$$, (SELECT id FROM k))),
    '0', 'the values it has already: nothing changes');
SELECT is((SELECT count(*)::int FROM tuki.ticket_event WHERE ticket = (SELECT id FROM k) AND kind = 'edit'), 2, 'and no event is recorded');
-- a new team: the ticket leaves its holder, as an escalation
SELECT is(pg_temp.run_as('tt_agent', format('SELECT tuki.ticket_take(%s)', (SELECT id FROM k))), 'ok', 'the agent takes it');
SELECT is(pg_temp.run_as('tt_other', format($$SELECT tuki.ticket_edit(%s, team => 'third_line')$$, (SELECT id FROM k))), 'TK005',
    'another agent may not move someone else''s ticket to another team (TK005)');
SELECT is(pg_temp.val_as('tt_agent', format($$SELECT tuki.ticket_edit(%s, team => 'third_line')$$, (SELECT id FROM k))), '1', 'the holder may');
SELECT results_eq(format($$SELECT team, assignee, (SELECT detail FROM tuki.ticket_event e WHERE e.ticket = t.id AND e.kind = 'escalate') FROM tuki.ticket t WHERE id = %s$$, (SELECT id FROM k)),
    $$VALUES ('third_line'::text, NULL::text, '{"from": "second_line", "to": "third_line"}'::jsonb)$$,
    'a new team: unassigned in that team''s queue, recorded as an escalate event');

-- refusals
SELECT matches(pg_temp.err_as('tt_agent', replace(q, 'K', (SELECT id FROM k)::text)), re, what)
  FROM (VALUES
    ('nothing given', $$SELECT tuki.ticket_edit(K)$$, '^TK006\|nothing to change on ticket #[0-9]+\|'),
    ('unknown type', $$SELECT tuki.ticket_edit(K, type => 'wish')$$, '^TK006\|unknown type ''wish''\|'),
    ('unknown channel', $$SELECT tuki.ticket_edit(K, channel => 'fax')$$, '^TK006\|unknown channel ''fax''\|'),
    ('unknown team', $$SELECT tuki.ticket_edit(K, team => 'marketing')$$, '^TK006\|unknown team ''marketing''\|'),
    ('blank subject', $$SELECT tuki.ticket_edit(K, subject => '  ')$$, '^TK006\|subject is empty\|'),
    ('another customer''s contact', $$SELECT tuki.ticket_edit(K, contact => 'kalle@kone.fi')$$, '^TK006\|no contact kalle@kone.fi at customer ACME\|Active contacts of ACME: '),
    ('unknown ticket', $$SELECT tuki.ticket_edit(424242, type => 'bug')$$, '^TK006\|no ticket #424242\|')
  ) x(what, q, re);
SELECT is(pg_temp.run_as('tt_acme', format($$SELECT tuki.ticket_edit(%s, type => 'question')$$, (SELECT id FROM k))), '42501',
    'customers may not edit tickets');
-- closed is final
SELECT lives_ok(format($$SELECT tuki.ticket_set_status(%s, 'closed')$$, (SELECT id FROM k2)), 'a lead closes a ticket');
SELECT matches(pg_temp.err_as('tt_lead', format($$SELECT tuki.ticket_edit(%s, type => 'question')$$, (SELECT id FROM k2))),
    '^TK008\|ticket #[0-9]+ is closed\|', 'a closed ticket cannot be edited (TK008)');

SELECT * FROM finish();
ROLLBACK;
