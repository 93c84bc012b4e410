-- One ticket's whole story at fixed times (UTC), on top of fixture.sql: mail from a contact with
-- a file, taken, priority raised, answered within its target, a note, work logged (included
-- and billable), its subject edited, escalated and set waiting. Replayed by an administrator
-- (tuki.now, tuki.actor), the mail as the desk's intake would record it (actor system: no
-- recorded_by for mail).
SET client_min_messages = warning;
SELECT tuki.agent_add('mikko', 'Mikko Korhonen', 'second_line', false);
INSERT INTO tuki.contact (customer, name, email, may_order_billable) VALUES
    ('ACME', 'Riikka Söderström', 'riikka@acme.fi', true);
CREATE TEMP TABLE story (id bigint);

-- Monday 25 Nov 2026, 07:00 UTC = 09:00 in Helsinki
SELECT set_config('tuki.actor', 'system', false),
       set_config('tuki.now', '2026-11-23 07:00:00+00', false);
INSERT INTO story SELECT tuki.ticket_create('ACME', 'Laskutusajo kaatuu yöllä',
    E'Hei,\n\nlaskutusajo kaatui taas yöllä kello 3.\nLoki liitteenä.\n\nTerveisin Riikka',
    'incident', 3, 2, 'riikka@acme.fi', 'email');
INSERT INTO tuki.attachment (message, filename, content_type, size, sha256, content)
SELECT m.id, 'laskutus-0323.log', 'text/plain', 18234, sha256('x'), 'x'
  FROM tuki.message m JOIN story s ON s.id = m.ticket;
-- the story leaves out the receipt the intake queued (the golden screens have none)
DELETE FROM tuki.outbox WHERE ticket = (SELECT id FROM story) AND kind = 'received';

SELECT set_config('tuki.actor', 'mikko', false), set_config('tuki.now', '2026-11-23 07:05:00+00', false);
SELECT tuki.ticket_take((SELECT id FROM story));
SELECT set_config('tuki.now', '2026-11-23 07:10:00+00', false);
SELECT tuki.ticket_set_priority((SELECT id FROM story), 1, 1);
SELECT set_config('tuki.now', '2026-11-23 07:12:00+00', false);
SELECT tuki.ticket_reply((SELECT id FROM story),
    E'Hei Riikka,\n\nkiitos lokista. Ajo kaatuu muistin loppumiseen; korjaamme asetuksen.');
UPDATE tuki.outbox SET status = 'failed', last_error = 'sendmail exited 75'
 WHERE ticket = (SELECT id FROM story) AND message IS NOT NULL;
SELECT set_config('tuki.now', '2026-11-23 07:30:00+00', false);
SELECT tuki.ticket_note((SELECT id FROM story), 'Muistiraja 2 GB, nostetaan 4 GB:hen.');
SELECT set_config('tuki.now', '2026-11-23 08:00:00+00', false);
SELECT tuki.worklog_add((SELECT id FROM story), 45, false, 'Lokit läpi, muistiraja löytyi.');
SELECT tuki.worklog_add((SELECT id FROM story), 30, true, 'Asetuksen muutos tuotantoon.');
SELECT set_config('tuki.actor', 'lena', false), set_config('tuki.now', '2026-11-23 08:20:00+00', false);
UPDATE tuki.ticket SET subject = 'Laskutusajo kaatuu yöllä: muisti loppuu' WHERE id = (SELECT id FROM story);
SELECT tuki.ticket_escalate((SELECT id FROM story), 'third_line');
SELECT set_config('tuki.actor', 'mikko', false), set_config('tuki.now', '2026-11-23 08:30:00+00', false);
SELECT tuki.ticket_set_status((SELECT id FROM story), 'waiting_customer');
RESET tuki.now;
RESET tuki.actor;
