-- tuki.ticket_timeline: a ticket's messages, files, work, mail and events in one stable order,
-- people by name, times in the session's zone, nothing of the JSON; run as the caller, for
-- staff only.
BEGIN;
SELECT plan(18);

\ir lib/as_role.psql

CREATE ROLE tl_contact LOGIN IN ROLE tuki_customer;
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('ACME', 'premium', '24x7', '2020-01-01');
INSERT INTO tuki.contact (customer, name, email, may_order_billable, login) VALUES
    ('ACME', 'Riikka Söderström', 'riikka@acme.fi', true, 'tl_contact');
SELECT tuki.agent_add('tl_mikko', 'Mikko Korhonen', 'second_line', false);

-- Everything of a take happens at one instant; so does a reply with its clocks.
SELECT set_config('tuki.now', '2026-11-23 07:00:00+00', true), set_config('tuki.actor', 'tl_mikko', true);
CREATE TEMP TABLE t AS SELECT tuki.ticket_create('ACME', 'Laskutus kaatuu', 'Hei, ajo kaatui.', 'incident', 3, 3,
                                               'riikka@acme.fi', 'phone') AS id;
SELECT set_config('tuki.now', '2026-11-23 07:05:00+00', true);
SELECT tuki.ticket_take((SELECT id FROM t));
SELECT tuki.ticket_set_priority((SELECT id FROM t), 1, 1);
SELECT set_config('tuki.now', '2026-11-23 07:12:00+00', true);
SELECT tuki.ticket_reply((SELECT id FROM t), 'Katsotaan.');
SELECT tuki.ticket_note((SELECT id FROM t), 'sisäinen');
SELECT tuki.worklog_add((SELECT id FROM t), 30, true, 'Lokit läpi.');
UPDATE tuki.ticket SET type = 'bug', subject = 'Laskutusajo kaatuu' WHERE id = (SELECT id FROM t);
SET LOCAL TimeZone = 'Europe/Helsinki';

SELECT is((SELECT string_agg(kind, ',' ORDER BY n) FROM tuki.ticket_timeline((SELECT id FROM t)) WITH ORDINALITY x(at, at_text, rank, ref, sub, kind, who, args, body, n)),
          'created,message,sla_recalc,mail,assign,status,priority,sla_recalc,message,message,worklog,edit,edit,responded',
          'one order for what happened at one instant: the ticket, its words, its clocks, its receipt; who took it, its status; the reply, note and work before the edits (field by field) and the response clock');
SELECT is((SELECT array_agg(x ORDER BY n)::text FROM (SELECT row_number() OVER () AS n, to_json(r)::text AS x FROM tuki.ticket_timeline((SELECT id FROM t)) r) a),
          (SELECT array_agg(x ORDER BY n)::text FROM (SELECT row_number() OVER () AS n, to_json(r)::text AS x FROM tuki.ticket_timeline((SELECT id FROM t)) r) a),
          'the same rows in the same order on every call');
SELECT is((SELECT count(*)::int FROM tuki.ticket_timeline((SELECT id FROM t)) r
            WHERE r.rank IS NULL OR r.ref IS NULL OR r.sub IS NULL), 0, 'every row has its place in the order');
SELECT is((SELECT who || ' | ' || array_to_string(args, '|', '∅') FROM tuki.ticket_timeline((SELECT id FROM t)) WHERE kind = 'message' ORDER BY at LIMIT 1),
          'Riikka Söderström | contact|public|phone|Mikko Korhonen|∅|∅', 'the customer''s words under her name, recorded by the agent''s display name');
SELECT is((SELECT who FROM tuki.ticket_timeline((SELECT id FROM t)) WHERE kind = 'assign'), 'Mikko Korhonen', 'agents by display name');
SELECT is(tuki.timeline_name('tl_contact'), 'Riikka Söderström', 'a contact who logs in, by name');
SELECT is(tuki.timeline_name('system'), 'tuki', 'the desk itself as tuki');
SELECT is((SELECT args FROM tuki.ticket_timeline((SELECT id FROM t)) WHERE kind = 'assign'), ARRAY[NULL, 'Mikko Korhonen', 'true'], 'a take is one who took it from nobody');
SELECT is((SELECT args FROM tuki.ticket_timeline((SELECT id FROM t)) WHERE kind = 'priority'), ARRAY['5', '1', '1', '1'], 'the priority, from and to, with impact and urgency');
SELECT is((SELECT at_text || ' ' || array_to_string(args, '|') FROM tuki.ticket_timeline((SELECT id FROM t)) WHERE kind = 'responded'),
          '2026-11-23 09:12 09:12|12|30|true', 'the response: at 09:12 Helsinki time, 12 business minutes of a 30-minute target, met');
SELECT is((SELECT args[1] FROM tuki.ticket_timeline((SELECT id FROM t)) WHERE kind = 'sla_recalc' ORDER BY at, ref LIMIT 1),
          'created', 'the reason for the clocks');
SELECT is((SELECT array_agg(args ORDER BY sub)::text FROM tuki.ticket_timeline((SELECT id FROM t)) WHERE kind = 'edit'),
          '{{type,incident,bug},{subject,"Laskutus kaatuu","Laskutusajo kaatuu"}}', 'an edit, field by field, from and to');
SELECT is((SELECT array_to_string(args, '|') || ' | ' || body FROM tuki.ticket_timeline((SELECT id FROM t)) WHERE kind = 'worklog'),
          '30|true|Riikka Söderström | Lokit läpi.', 'work: minutes, billable, who ordered it, the note');
SELECT is((SELECT count(*)::int FROM tuki.ticket_timeline((SELECT id FROM t)) r
            WHERE array_to_string(r.args, ' ') ~ '[{}]|\d{4}-\d\d-\d\dT|\+00'), 0, 'no JSON and no ISO times in any argument');
SET LOCAL TimeZone = 'UTC';
SELECT is((SELECT at_text FROM tuki.ticket_timeline((SELECT id FROM t)) WHERE kind = 'responded'), '2026-11-23 07:12',
          'times follow the session''s zone');

-- who may read it: staff, as themselves (row-level security decides); not a contact
SELECT is(pg_temp.val_as('tl_mikko', format('SELECT count(*) FROM tuki.ticket_timeline(%s) WHERE args[2] = ''internal''', (SELECT id FROM t))),
          '1', 'an agent sees the internal note');
SELECT is(pg_temp.val_as('tl_contact', format('SELECT count(*) FROM tuki.ticket_timeline(%s)', (SELECT id FROM t))),
          '42501', 'a contact may not call it');
SELECT is((SELECT prosecdef FROM pg_proc WHERE oid = 'tuki.ticket_timeline(bigint)'::regprocedure), false,
          'it runs as the caller, so row-level security applies');

SELECT * FROM finish();
ROLLBACK;
