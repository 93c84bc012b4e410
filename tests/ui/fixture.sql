-- A small desk for console tests: three customers on three levels and calendars, three
-- agents (alice, bob; lena leads) and a dozen tickets, one with a wide-character subject.
SET client_min_messages = warning;
INSERT INTO tuki.customer (code, name) VALUES
    ('ACME', 'Acme Oy'), ('KONE', 'Koneistamo Mäkelä Oy'), ('TATRA', 'Tatra Systémy s.r.o.');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from, quota_minutes) VALUES
    ('ACME', 'premium', '24x7', '2020-01-01', 600),
    ('KONE', 'standard', '24x7', '2020-01-01', 300),
    ('TATRA', 'light', '24x7', '2020-01-01', 0);
INSERT INTO tuki.contact (customer, name, email, may_order_billable) VALUES
    ('ACME', 'Päivi Mäkelä', 'paivi@acme.fi', true),
    ('KONE', 'Jussi Köykkä', 'jussi@kone.fi', false),
    ('TATRA', 'Ľubomír Šťastný', 'lubo@tatra.sk', true);
SELECT tuki.agent_add('alice', 'Alice Aalto', 'second_line', false);
SELECT tuki.agent_add('bob', 'Bob Björklund', 'second_line', false);
SELECT tuki.agent_add('lena', 'Lena Lehtonen', 'second_line', true);
SELECT tuki.ticket_create('ACME', 'Tulostin ei tulosta', 'Hei, tulostin ei toimi.', 'incident', 1, 1, 'paivi@acme.fi');
SELECT tuki.ticket_create('KONE', 'Päivä čaká 漢字 raportti', 'Raportti näyttää väärin.', 'bug', 2, 2, 'jussi@kone.fi');
SELECT tuki.ticket_create('TATRA', 'Export do CSV nefunguje', 'Export padá.', 'incident', 2, 1, 'lubo@tatra.sk');
SELECT tuki.ticket_create('ACME', 'VPN-yhteys katkeilee', 'VPN katkeaa tunnin välein.', 'incident', 2, 2, 'paivi@acme.fi');
SELECT tuki.ticket_create('KONE', 'Uuden käyttäjän tunnukset', 'Tarvitsemme tunnukset.', 'service_request', 3, 3, 'jussi@kone.fi');
SELECT tuki.ticket_create('TATRA', 'Otázka k licenciám', 'Koľko licencií máme?', 'question', 3, 3, 'lubo@tatra.sk');
SELECT tuki.ticket_create('ACME', 'Varmuuskopio epäonnistui', 'Yön varmuuskopio ei mennyt läpi.', 'incident', 1, 2, 'paivi@acme.fi');
SELECT tuki.ticket_create('KONE', 'Hidas haku', 'Haku kestää minuutin.', 'problem', 2, 3, 'jussi@kone.fi');
SELECT tuki.ticket_create('TATRA', 'Zmena loga na portáli', 'Prosíme o nové logo.', 'change', 3, 2, 'lubo@tatra.sk');
SELECT tuki.ticket_create('ACME', 'Kysymys laskutuksesta', 'Mitä kuun lasku sisältää?', 'question', 3, 3, 'paivi@acme.fi');
-- One ticket from last week, its clocks long past their targets: the breaching filter's.
SELECT set_config('tuki.now', (now() - interval '7 days')::text, false);
SELECT tuki.ticket_create('KONE', 'Vanha häiriö: laskutusajo jumissa', 'Ajo on jumissa.', 'incident', 2, 2, 'jussi@kone.fi');
RESET tuki.now;
