-- tuki seed: a realistic, reproducible data set, loaded through tuki.history_load (migration
-- 025), which replays every planned step through the desk's own rules set-based and writes each
-- table once. Not a migration ('tuki migrate' never runs it). src/seed.c runs it in every
-- session it uses, after setting tuki_seed.seed, tuki_seed.tickets, tuki_seed.now and
-- tuki_seed.first_id; the first session then loads the reference data (pg_temp.seed_reference),
-- every session looks up the contacts (pg_temp.seed_lookup), and tickets are loaded batch by
-- batch with SELECT pg_temp.seed_batch(lo, hi), one transaction each.
-- Everything random comes from pg_temp.seed_rnd(seed, i, salt), a hash of the ticket's number,
-- so the data depends only on the seed, the ticket count and the anchor time, never on
-- the order in which the server happens to evaluate rows.

-- A number in [0, 1) from the seed, an item number and a salt that says what it is for.
CREATE FUNCTION pg_temp.seed_rnd(seed bigint, i bigint, salt integer) RETURNS float8
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT ((hashint8extended(i, seed * 1000003 + salt) >> 11) & 9007199254740991)::float8 / 9007199254740992.0 $$;

-- An exponentially distributed multiple of mean, for waiting times.
CREATE FUNCTION pg_temp.seed_expo(r float8, mean float8) RETURNS float8
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT -ln(1.0 - r) * mean $$;

CREATE FUNCTION pg_temp.seed_pick(items text[], r float8) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT items[1 + floor(r * cardinality(items))::integer] $$;

-- The next moment at or after t inside working hours [opens, closes) on a weekday in zone tz;
-- a calendar open around the clock (closes - opens >= 24) leaves t alone. Holidays are not
-- skipped: the SLA clocks do not count them anyway.
-- (PL/pgSQL: the local time is computed once; as a SQL function it was not inlined, and its
-- conversions cost six times as much per step)
CREATE FUNCTION pg_temp.seed_snap(t timestamptz, tz text, opens integer, closes integer) RETURNS timestamptz
    LANGUAGE plpgsql STABLE
AS $$
DECLARE
    l timestamp := t AT TIME ZONE tz;
    h integer := extract(hour FROM l);
    d date;
BEGIN
    IF closes - opens >= 24 OR (extract(isodow FROM l) <= 5 AND h >= opens AND h < closes) THEN
        RETURN t;
    END IF;
    d := l::date + CASE WHEN h < opens THEN 0 ELSE 1 END;
    d := d + CASE extract(isodow FROM d) WHEN 6 THEN 2 WHEN 7 THEN 1 ELSE 0 END;
    RETURN (d + make_interval(hours => opens, mins => extract(minute FROM l)::integer)) AT TIME ZONE tz;
END
$$;

CREATE TEMP TABLE seed_param AS
SELECT current_setting('tuki_seed.seed')::bigint AS seed,
       current_setting('tuki_seed.tickets')::bigint AS tickets,
       current_setting('tuki_seed.now')::timestamptz AS anchor,
       current_setting('tuki_seed.first_id')::bigint AS first_id,
       least(current_setting('tuki_seed.tickets')::bigint, 36) AS queue_tickets;


-- Reference data -----------------------------------------------------------------------------

CREATE TEMP TABLE seed_customer (
    n integer PRIMARY KEY, code text, name text, lang text, level text, calendar text,
    quota integer, weight float8, tz text, opens integer, closes integer, domain text);
INSERT INTO seed_customer (n, code, name, lang, level, calendar, quota, weight, domain) VALUES
    (1,  'POHJOISMETSA', 'Pohjoismetsä Oyj',                      'fi', 'premium',  'fi-8-16', 2400, 14, 'pohjoismetsa.fi'),
    (2,  'SAIMAAN-VESI', 'Saimaan Vesihuolto Oy',                 'fi', 'premium',  '24x7',    1800, 10, 'saimaanvesi.fi'),
    (3,  'KOTIPIHA',     'Kotipiha Oy',                           'fi', 'standard', 'fi-8-16',  900, 9,  'kotipiha.fi'),
    (4,  'HAMEENLINNA',  'Hämeenlinnan kaupunki',                 'fi', 'standard', 'fi-9-17', 1200, 11, 'hameenlinna.fi'),
    (5,  'TURUN-PUU',    'Turun Puutuote Oy',                     'fi', 'light',    'fi-8-16',  300, 5,  'turunpuu.fi'),
    (6,  'AANEKOSKI',    'Äänekosken Kuljetus Oy',                'fi', 'light',    'fi-8-16',  300, 6,  'aanekoskenkuljetus.fi'),
    (7,  'OULUN-SATAMA', 'Oulun Satamapalvelut Oy',               'fi', 'standard', '24x7',     900, 8,  'oulunsatama.fi'),
    (8,  'KAARINA-LOG',  'Kaarinan Logistiikka Oy',               'fi', 'standard', 'fi-9-17',  600, 7,  'kaarinalog.fi'),
    (9,  'TATRANET',     'Tatranet s.r.o.',                       'sk', 'standard', 'sk-8-17',  900, 8,  'tatranet.sk'),
    (10, 'ZILINA-STROJ', 'Žilinské strojárne a.s.',               'sk', 'premium',  'sk-8-17', 1800, 9,  'zilinskestrojarne.sk'),
    (11, 'KOSICE-TEPLO', 'Košická teplárenská spoločnosť a.s.',   'sk', 'premium',  '24x7',    1500, 7,  'kosicetepla.sk'),
    (12, 'NITRA-AGRO',   'Agrodružstvo Nitra',                    'sk', 'light',    'sk-8-17',  300, 6,  'agronitra.sk');
UPDATE seed_customer s SET tz = k.tz,
       opens = CASE s.calendar WHEN 'fi-9-17' THEN 9 WHEN '24x7' THEN 0 ELSE 8 END,
       closes = CASE s.calendar WHEN 'fi-9-17' THEN 17 WHEN 'fi-8-16' THEN 16 WHEN 'sk-8-17' THEN 17 ELSE 24 END
  FROM tuki.calendar k WHERE k.code = s.calendar;

CREATE TEMP TABLE seed_contact (customer text, k integer, name text, local text, phone text, billable boolean,
                                id bigint, PRIMARY KEY (customer, k));
INSERT INTO seed_contact (customer, k, name, local, phone, billable) VALUES
    ('POHJOISMETSA', 1, 'Päivi Mäkelä', 'paivi.makela', '+358 40 512 3381', true),
    ('POHJOISMETSA', 2, 'Jukka Lähteenmäki', 'jukka.lahteenmaki', '+358 50 771 0942', false),
    ('POHJOISMETSA', 3, 'Riikka Söderström', 'riikka.soderstrom', '+358 44 230 5518', false),
    ('SAIMAAN-VESI', 1, 'Tero Hämäläinen', 'tero.hamalainen', '+358 40 866 1204', true),
    ('SAIMAAN-VESI', 2, 'Kaisa Kärkkäinen', 'kaisa.karkkainen', '+358 50 334 7790', false),
    ('KOTIPIHA', 1, 'Sari Nieminen', 'sari.nieminen', '+358 45 118 6620', true),
    ('KOTIPIHA', 2, 'Antti Väänänen', 'antti.vaananen', '+358 40 902 4417', false),
    ('HAMEENLINNA', 1, 'Hannele Ylönen', 'hannele.ylonen', '+358 3 621 2300', true),
    ('HAMEENLINNA', 2, 'Mikko Räsänen', 'mikko.rasanen', '+358 3 621 2417', false),
    ('HAMEENLINNA', 3, 'Eeva Kyllönen', 'eeva.kyllonen', '+358 3 621 2455', false),
    ('TURUN-PUU', 1, 'Jari Öhman', 'jari.ohman', '+358 2 274 1180', true),
    ('AANEKOSKI', 1, 'Satu Pääkkönen', 'satu.paakkonen', '+358 14 521 660', true),
    ('AANEKOSKI', 2, 'Ville Mäntylä', 'ville.mantyla', '+358 40 733 9051', false),
    ('OULUN-SATAMA', 1, 'Outi Hyvärinen', 'outi.hyvarinen', '+358 8 558 4010', true),
    ('OULUN-SATAMA', 2, 'Pekka Särkkä', 'pekka.sarkka', '+358 40 610 2288', false),
    ('KAARINA-LOG', 1, 'Minna Björklund', 'minna.bjorklund', '+358 2 511 7003', true),
    ('KAARINA-LOG', 2, 'Tuomas Jääskeläinen', 'tuomas.jaaskelainen', '+358 50 447 1230', false),
    ('TATRANET', 1, 'Ľubomír Šťastný', 'lubomir.stastny', '+421 52 772 1044', true),
    ('TATRANET', 2, 'Katarína Černá', 'katarina.cerna', '+421 905 331 208', false),
    ('ZILINA-STROJ', 1, 'Miroslav Ďurica', 'miroslav.durica', '+421 41 562 3110', true),
    ('ZILINA-STROJ', 2, 'Zuzana Žáková', 'zuzana.zakova', '+421 911 204 577', false),
    ('ZILINA-STROJ', 3, 'Peter Kňazovič', 'peter.knazovic', '+421 41 562 3187', false),
    ('KOSICE-TEPLO', 1, 'Ivana Horváthová', 'ivana.horvathova', '+421 55 611 4420', true),
    ('KOSICE-TEPLO', 2, 'Tomáš Ťažký', 'tomas.tazky', '+421 948 116 302', false),
    ('NITRA-AGRO', 1, 'Jozef Baláž', 'jozef.balaz', '+421 37 655 1290', true),
    ('NITRA-AGRO', 2, 'Mária Kováčová', 'maria.kovacova', '+421 907 882 415', false);

CREATE TEMP TABLE seed_agent (login text PRIMARY KEY, name text, team text, lead boolean, n integer);
INSERT INTO seed_agent (login, name, team, lead, n) VALUES
    ('lmakela',   'Leena Mäkelä',    'second_line', true,  0),
    ('avirtanen',  'Aino Virtanen',   'second_line', false, 1),
    ('mkorhonen', 'Mikko Korhonen',  'second_line', false, 2),
    ('jnovakova',  'Jana Nováková',   'second_line', false, 3),
    ('sjarvinen', 'Sanna Järvinen',  'second_line', false, 4),
    ('phorvath',  'Peter Horváth',   'second_line', false, 5),
    ('tkral',     'Tomáš Kráľ',      'third_line',  false, 1),
    ('vheikkinen',     'Ville Heikkinen', 'third_line',  false, 2),
    ('zvargova', 'Zuzana Vargová',  'third_line',  false, 3);

-- The desk's reference data: customers, contracts, contacts and agents. Run once per data set,
-- by the first session; agents are login roles that tuki.agent_add creates when missing (the
-- seeding role needs CREATEROLE).
CREATE FUNCTION pg_temp.seed_reference() RETURNS void
    LANGUAGE plpgsql
AS $$
DECLARE
    a record;
BEGIN
    -- customers on the 24x7 calendar (UTC) have their months in their own zone
    INSERT INTO tuki.customer (code, name, time_zone)
    SELECT code, name, CASE WHEN calendar = '24x7' THEN CASE lang WHEN 'fi' THEN 'Europe/Helsinki' ELSE 'Europe/Bratislava' END END
      FROM seed_customer ORDER BY n;

    -- Contracts started before the data set; Tatranet moved up to premium nine months ago and
    -- Äänekosken Kuljetus had a month of premium around its go-live (the temporary raise).
    INSERT INTO tuki.contract (customer, service_level, calendar, valid_from, valid_to, quota_minutes,
                               raise_level, raise_from, raise_to)
    SELECT c.code, c.level, c.calendar, (p.anchor - interval '800 days')::date,
           CASE WHEN c.code = 'TATRANET' THEN (p.anchor - interval '271 days')::date END,
           c.quota,
           CASE WHEN c.code = 'AANEKOSKI' THEN 'premium' END,
           CASE WHEN c.code = 'AANEKOSKI' THEN (p.anchor - interval '220 days')::date END,
           CASE WHEN c.code = 'AANEKOSKI' THEN (p.anchor - interval '190 days')::date END
      FROM seed_customer c, seed_param p ORDER BY c.n;
    INSERT INTO tuki.contract (customer, service_level, calendar, valid_from, quota_minutes)
    SELECT 'TATRANET', 'premium', 'sk-8-17', (p.anchor - interval '270 days')::date, 1800 FROM seed_param p;

    INSERT INTO tuki.contact (customer, name, email, phone, may_order_billable)
    SELECT s.customer, s.name, s.local || '@' || c.domain, s.phone, s.billable
      FROM seed_contact s JOIN seed_customer c ON c.code = s.customer ORDER BY c.n, s.k;

    FOR a IN SELECT * FROM seed_agent ORDER BY team, n LOOP
        BEGIN
            PERFORM tuki.agent_add(a.login, a.name, a.team, a.lead);
        EXCEPTION WHEN unique_violation THEN
            -- roles are cluster-wide: a seed of another database created it meanwhile
            PERFORM tuki.agent_add(a.login, a.name, a.team, a.lead);
        END;
    END LOOP;
END
$$;

-- Every session: the numbers the database gave the contacts.
CREATE FUNCTION pg_temp.seed_lookup() RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE seed_contact s SET id = t.id
      FROM tuki.contact t, seed_customer c
     WHERE c.code = s.customer AND t.customer = s.customer AND t.email = s.local || '@' || c.domain;
END
$$;

-- Texts ---------------------------------------------------------------------------------------
-- Subjects are a template and an object ('%s'), per type and language.
CREATE TEMP TABLE seed_text (kind text, lang text, items text[], PRIMARY KEY (kind, lang));
INSERT INTO seed_text VALUES
 ('subject_incident', 'fi', ARRAY['%s ei käynnisty', 'Kirjautuminen ei onnistu: %s', '%s hidastunut merkittävästi',
    'Virheilmoitus tallennettaessa (%s)', '%s: yhteys katkeilee', 'Tulostus ei toimi: %s', '%s kaatuu avattaessa raporttia',
    'Integraatio %s pysähtyi yöllä']),
 ('subject_incident', 'sk', ARRAY['%s sa nespúšťa', 'Nedá sa prihlásiť do %s', '%s je veľmi pomalý',
    'Chyba pri ukladaní (%s)', 'Výpadok spojenia: %s', '%s padá pri otváraní zostavy']),
 ('subject_service_request', 'fi', ARRAY['Uusi käyttäjätunnus: %s', 'Käyttöoikeuksien muutos (%s)', 'Salasanan nollaus, %s',
    'Uuden toimipisteen lisääminen %s-järjestelmään', 'Raporttipohjan muokkaus: %s', 'Varmuuskopion palautus, %s']),
 ('subject_service_request', 'sk', ARRAY['Nový používateľský účet: %s', 'Zmena prístupových práv (%s)', 'Reset hesla, %s',
    'Úprava šablóny zostavy: %s', 'Obnova zo zálohy, %s']),
 ('subject_problem', 'fi', ARRAY['Toistuvat katkot: %s', 'Juurisyyn selvitys: %s hidastelee aamuisin', '%s: muistivuoto palvelimella']),
 ('subject_problem', 'sk', ARRAY['Opakované výpadky: %s', 'Analýza príčiny: %s ráno spomaľuje', 'Recurring timeouts in %s']),
 ('subject_change', 'fi', ARRAY['Muutospyyntö: uusi kenttä lomakkeelle (%s)', 'Päivityksen ajoitus, %s', '%s: uusi hyväksyntäkierros',
    'Integraation %s rajapinnan muutos']),
 ('subject_change', 'sk', ARRAY['Požiadavka na zmenu: nové pole vo formulári (%s)', 'Plánovanie aktualizácie, %s', 'Change request: new export in %s']),
 ('subject_bug', 'fi', ARRAY['%s: summat pyöristyvät väärin', 'Päivämäärä näkyy väärin (%s)', '%s: ääkköset katoavat viennissä',
    'Lajittelu ei toimi: %s', '%s: sama rivi kahdesti raportilla']),
 ('subject_bug', 'sk', ARRAY['%s: nesprávne zaokrúhľovanie súm', 'Diakritika sa stráca pri exporte (%s)', '%s: duplicate rows in report',
    'Wrong date format in %s']),
 ('subject_question', 'fi', ARRAY['Miten %s-raportti ajetaan?', 'Kysymys lisenssistä: %s', 'Tukeeko %s uutta selainversiota?',
    'Ohje: %s ja kuukausiajo']),
 ('subject_question', 'sk', ARRAY['Ako spustiť zostavu v %s?', 'Otázka k licencii: %s', 'Does %s support the new browser version?']),
 ('object', 'fi', ARRAY['laskutus', 'palkanlaskenta', 'CRM', 'VPN', 'verkkokauppa', 'varastojärjestelmä', 'asiakasportaali',
    'Outlook-liitännäinen', 'mobiilisovellus', 'kassajärjestelmä', 'SAP-integraatio', 'matkahallinta']),
 ('object', 'sk', ARRAY['fakturácia', 'mzdy', 'CRM', 'VPN', 'e-shop', 'sklad', 'zákaznícky portál', 'dochádzka', 'ERP']),
 ('request', 'fi', ARRAY['Hei, ongelma alkoi tänä aamuna. Useampi käyttäjä on ilmoittanut saman. Voitteko katsoa?',
    'Moi! Tämä estää työn tekemisen osastollamme. Liitteenä kuvakaappaus virheestä.',
    'Hyvää päivää. Pyydämme apua alla olevaan asiaan mahdollisimman pian. Terveisin, pääkäyttäjä',
    'Hei, ohessa pyyntö. Kiireellisyys kohtalainen, mutta toivomme vastausta tällä viikolla.']),
 ('request', 'sk', ARRAY['Dobrý deň, problém nastal dnes ráno a týka sa viacerých používateľov. Prosíme o pomoc.',
    'Dobrý deň, posielam požiadavku. Ďakujem za rýchle vybavenie. S pozdravom',
    'Hello, since the last update this no longer works for our team. Screenshot attached.']),
 ('reply', 'fi', ARRAY['Kiitos ilmoituksesta. Olemme ottaneet asian työn alle ja palaamme pian.',
    'Hei, tarkistimme lokit ja löysimme todennäköisen syyn. Korjaamme asetuksen vielä tänään.',
    'Muutos on tehty testiympäristöön. Voisitteko kokeilla, toimiiko nyt?',
    'Hei, päivitys on asennettu. Ongelman pitäisi olla poistunut.',
    'Kiitos kärsivällisyydestä, selvitämme asiaa edelleen ja kerromme etenemisestä huomenna.']),
 ('reply', 'en', ARRAY['Thank you for reporting this. We are looking into it and will get back to you shortly.',
    'We found the likely cause in the server logs and will apply a fix today.',
    'The change is in the test environment now. Could you check whether it works for you?',
    'The update has been installed; the problem should be gone.',
    'Thanks for your patience. We are still investigating and will update you tomorrow.']),
 ('ask', 'fi', ARRAY['Voisitteko lähettää kuvakaappauksen virheilmoituksesta ja kellonajan, jolloin se tapahtui?',
    'Koskeeko ongelma kaikkia käyttäjiä vai vain osaa? Entä mitä selainta käytätte?',
    'Tarvitsemme tilaajan hyväksynnän ennen kuin jatkamme. Voitteko vahvistaa?']),
 ('ask', 'en', ARRAY['Could you send a screenshot of the error and the time it happened?',
    'Does this affect all users or only some? Which browser are they using?',
    'We need your approval before we continue. Can you confirm?']),
 ('answer', 'fi', ARRAY['Liitteenä kuvakaappaus. Virhe tuli klo 9.12.', 'Koskee kaikkia, selaimena Edge.', 'Hyväksytään, voitte jatkaa.',
    'Ongelma toistuu edelleen, nyt myös toisessa toimipisteessä.']),
 ('answer', 'sk', ARRAY['V prílohe posielam snímku obrazovky. Chyba nastala o 9:12.', 'Týka sa to všetkých používateľov, prehliadač Edge.',
    'Schvaľujeme, môžete pokračovať.', 'Approved, please go ahead.']),
 ('reopen', 'fi', ARRAY['Valitettavasti sama virhe tuli uudelleen tänään.', 'Ei toimi vieläkään, avaatteko pyynnön uudelleen?']),
 ('reopen', 'sk', ARRAY['Bohužiaľ, chyba sa dnes objavila znova.', 'It still does not work, please reopen.']),
 ('note', 'fi', ARRAY['Sama oire kuin viime kuussa, katso aiempi tiketti.', 'Asiakas soitti, kiireellinen heille.',
    'Tarkistettu palvelimen levytila, kunnossa.', 'Odotetaan toimittajan vastausta.', 'Testattu omalla tunnuksella: toistuu.']),
 ('note', 'en', ARRAY['Same symptom as last month, see the earlier ticket.', 'Customer called, this is urgent for them.',
    'Checked disk space on the server: fine.', 'Reproduced with a test account.', 'Looks like a regression from the last release.']),
 ('escalate', 'fi', ARRAY['Siirretään kolmannelle linjalle: vaatii koodimuutoksen.', 'Ei ratkea konfiguraatiolla, eskaloidaan kehitykseen.']),
 ('escalate', 'en', ARRAY['Escalating to third line: needs a code change.', 'Cannot be fixed by configuration; handing over to third line.']),
 ('wait3', 'fi', ARRAY['Odotetaan alihankkijan korjausta.', 'Tiketti avattu valmistajan tukeen, odotetaan vastausta.']),
 ('wait3', 'en', ARRAY['Waiting for the vendor''s patch.', 'Opened a case with the upstream vendor, waiting for an answer.']),
 ('back3', 'fi', ARRAY['Valmistajan korjaus saatu, jatketaan.', 'Alihankkija vastasi, testataan korjaus.']),
 ('back3', 'en', ARRAY['Vendor patch received, continuing.', 'Upstream answered; testing the fix.']),
 ('confirm', 'fi', ARRAY['Vika on vahvistettu ohjelmistovirheeksi. Korjaus sisältyy versioon %s.',
    'Kehitys on vahvistanut virheen; korjattu versio %s julkaistaan seuraavassa huoltoikkunassa.']),
 ('confirm', 'en', ARRAY['We have confirmed this as a bug. The fix is included in version %s.',
    'Development confirmed the defect; the fixed version %s ships in the next maintenance window.']),
 ('resolution', 'fi', ARRAY['Asetus korjattu ja toiminta varmistettu asiakkaan kanssa.', 'Käyttäjätunnus luotu ja oikeudet annettu.',
    'Ohjeistettu puhelimitse, asia selvä.', 'Palvelu käynnistetty uudelleen, toimii normaalisti.', 'Korjaus asennettu tuotantoon.']),
 ('resolution', 'en', ARRAY['Setting corrected and verified with the customer.', 'Account created and rights granted.',
    'Explained by phone; the customer is happy.', 'Service restarted, working normally.', 'Fix deployed to production.']),
 ('dismiss', 'fi', ARRAY['Kaksoiskappale, käsitellään aiemmassa tiketissä.', 'Asiakas ilmoitti, että asia ratkesi itsestään.']),
 ('dismiss', 'en', ARRAY['Duplicate; handled in the earlier ticket.', 'The customer reported it resolved itself.']),
 ('work', 'fi', ARRAY['Vianselvitys', 'Konfiguraatiomuutos', 'Testaus ja dokumentointi', 'Asiakaspalaveri', 'Asennus']),
 ('work', 'en', ARRAY['Troubleshooting', 'Configuration change', 'Testing and documentation', 'Call with the customer', 'Installation']);

-- Lifecycles: the steps a ticket goes through, chosen by type. Every step is a legal move in
-- tuki.transition from where the previous one left the ticket.
CREATE TEMP TABLE seed_template (id integer PRIMARY KEY, steps text[]);
INSERT INTO seed_template VALUES
    (1,  ARRAY['create', 'take', 'reply', 'work', 'resolve', 'close']),
    (2,  ARRAY['create', 'take', 'ask', 'answer', 'work', 'reply', 'resolve', 'close']),
    (3,  ARRAY['create', 'take', 'reply', 'resolve', 'reopen', 'note', 'work', 'resolve', 'close']),
    (4,  ARRAY['create', 'take', 'reply', 'escalate', 'take3', 'wait3', 'back3', 'note', 'reply', 'work', 'resolve', 'close']),
    (5,  ARRAY['create', 'take', 'reply', 'escalate', 'take3', 'confirm', 'wait3', 'back3', 'resolve', 'close']),
    (6,  ARRAY['create', 'prio', 'take', 'reply', 'work', 'reply', 'resolve', 'close']),
    (7,  ARRAY['create', 'dismiss', 'close']),
    (8,  ARRAY['create', 'lead_close']),
    (9,  ARRAY['create', 'take', 'ask', 'answer', 'ask', 'answer', 'note', 'reply', 'resolve', 'close']),
    (10, ARRAY['create', 'take', 'reply', 'note', 'work', 'work', 'reply', 'resolve', 'close']);

-- Per type: cumulative weights (percent) over the templates listed in the same order.
CREATE TEMP TABLE seed_type (code text PRIMARY KEY, cum float8[], templates integer[], weight float8);
INSERT INTO seed_type VALUES
    ('incident',        ARRAY[0, 35, 55, 65, 77, 89, 95, 98], ARRAY[1, 2, 3, 4, 6, 9, 7, 8], 36),
    ('service_request', ARRAY[0, 35, 60, 85, 90, 95],          ARRAY[1, 2, 10, 6, 7, 8],       24),
    ('question',        ARRAY[0, 60, 85, 95],                  ARRAY[1, 2, 9, 7],             14),
    ('change',          ARRAY[0, 70, 90],                      ARRAY[10, 2, 4],               9),
    ('bug',             ARRAY[0, 80],                          ARRAY[5, 4],                   10),
    ('problem',         ARRAY[0, 60, 85],                      ARRAY[4, 9, 3],                7);

-- Lookup arrays for weighted picks with width_bucket.
CREATE TEMP TABLE seed_pick AS
SELECT (SELECT array_agg(s ORDER BY n) FROM (SELECT n, sum(weight) OVER (ORDER BY n) - weight AS s FROM seed_customer) x)
           AS customer_cum,
       (SELECT sum(weight) FROM seed_customer) AS customer_total,
       (SELECT array_agg(s ORDER BY code) FROM (SELECT code, sum(weight) OVER (ORDER BY code) - weight AS s FROM seed_type) x)
           AS type_cum,
       (SELECT array_agg(code ORDER BY code) FROM seed_type) AS type_codes,
       (SELECT sum(weight) FROM seed_type) AS type_total,
       ARRAY['email', 'portal', 'phone', 'chat', 'console'] AS channels,
       ARRAY[0, 45, 70, 85, 93]::float8[] AS channel_cum,
       (SELECT array_agg(login ORDER BY n) FROM seed_agent WHERE team = 'second_line' AND NOT lead) AS second_line,
       (SELECT array_agg(login ORDER BY n) FROM seed_agent WHERE team = 'third_line') AS third_line,
       (SELECT login FROM seed_agent WHERE lead) AS lead;

-- Creation times: weight per hour of the week (Monday 00 = 0) in Helsinki time, so most
-- tickets arrive in office hours, fewer in the evening and at weekends.
CREATE TEMP TABLE seed_week AS
WITH w AS (
    SELECT h, CASE WHEN h / 24 >= 5 THEN CASE WHEN h % 24 BETWEEN 9 AND 18 THEN 0.5 ELSE 0.15 END
                   WHEN h % 24 BETWEEN 8 AND 15 THEN 10
                   WHEN h % 24 IN (7, 16, 17) THEN 3
                   WHEN h % 24 BETWEEN 18 AND 22 THEN 0.8
                   ELSE 0.2 END::float8 AS weight
      FROM generate_series(0, 167) h)
SELECT array_agg((s - weight) / total ORDER BY h) AS cum, array_agg(weight / total ORDER BY h) AS share
  FROM (SELECT h, weight, sum(weight) OVER (ORDER BY h) AS s, sum(weight) OVER () AS total FROM w) x;

-- The span of history: whole weeks from a Monday 18 months back up to two days before the
-- anchor; the last queue_tickets tickets arrive in the final 36 hours and are still being worked.
CREATE TEMP TABLE seed_span AS
SELECT start_local, end_local,
       floor(extract(epoch FROM end_local - start_local) / 604800)::integer AS weeks,
       (extract(epoch FROM end_local - start_local)::float8 / 604800
        - floor(extract(epoch FROM end_local - start_local) / 604800)) * 168 AS tail_hours
  FROM (SELECT date_trunc('week', (p.anchor AT TIME ZONE 'Europe/Helsinki') - interval '548 days') AS start_local,
               (p.anchor AT TIME ZONE 'Europe/Helsinki') - interval '2 days' AS end_local
          FROM seed_param p) x;

ANALYZE seed_customer, seed_contact, seed_agent, seed_text, seed_template, seed_type, seed_pick, seed_week, seed_span;

-- Per batch: the plan of each ticket, then its steps with times ----------------------------

CREATE TEMP TABLE seed_ticket (
    ticket bigint PRIMARY KEY, i bigint, queue boolean, customer text, lang text, tz text, opens integer, closes integer,
    contact bigint, billable_ok boolean, contract bigint, service_level text, type text, channel text,
    impact integer, urgency integer, subject text, body text, template integer, second text, third text,
    response_minutes integer, resolve_minutes integer, created_at timestamptz, reply_lang text);
CREATE TEMP TABLE seed_step (ticket bigint, n integer, kind text, at timestamptz, actor text, PRIMARY KEY (ticket, n));
-- What tuki.history_load reads: the tickets as created, and every step of each (tuki-schema(7)).
CREATE TEMP TABLE history_ticket (
    id bigint PRIMARY KEY, customer text, contact bigint, contract bigint, service_level text, type text, channel text,
    impact integer, urgency integer, subject text, team text, created_at timestamptz, actor text);
CREATE TEMP TABLE history_step (
    ticket bigint, n integer, at timestamptz, actor text,
    msg_body text, msg_visibility text, msg_from_customer boolean, msg_channel text, msg_contact bigint, msg_recorded_by text,
    status text, resolution text, assign boolean NOT NULL DEFAULT false, assignee text, team text,
    impact integer, urgency integer, bug_confirmed boolean, fix_version text,
    work_minutes integer, work_billable boolean, work_note text, work_approved_by bigint,
    PRIMARY KEY (ticket, n));

CREATE FUNCTION pg_temp.seed_plan(lo bigint, hi bigint) RETURNS void
    LANGUAGE plpgsql
AS $$
DECLARE
    p seed_param;
BEGIN
    SELECT * INTO p FROM seed_param;
    TRUNCATE seed_ticket, seed_step;

    INSERT INTO seed_ticket (ticket, i, queue, customer, lang, tz, opens, closes, type, channel, impact, urgency,
                             second, third, created_at)
    SELECT p.first_id + g.i + 1, g.i, g.i >= p.tickets - p.queue_tickets,
           c.code, c.lang, c.tz, c.opens, c.closes,
           k.type_codes[width_bucket(pg_temp.seed_rnd(p.seed, g.i, 2) * k.type_total, k.type_cum)],
           k.channels[width_bucket(pg_temp.seed_rnd(p.seed, g.i, 3) * 100, k.channel_cum)],
           1 + (pg_temp.seed_rnd(p.seed, g.i, 4) > 0.12)::integer + (pg_temp.seed_rnd(p.seed, g.i, 5) > 0.45)::integer,
           1 + (pg_temp.seed_rnd(p.seed, g.i, 6) > 0.15)::integer + (pg_temp.seed_rnd(p.seed, g.i, 7) > 0.5)::integer,
           pg_temp.seed_pick(k.second_line, pg_temp.seed_rnd(p.seed, g.i, 8)),
           pg_temp.seed_pick(k.third_line, pg_temp.seed_rnd(p.seed, g.i, 9)),
           CASE WHEN g.i >= p.tickets - p.queue_tickets THEN
                -- the queue: spread over the last 36 hours, oldest first
                p.anchor - interval '10 minutes'
                - interval '36 hours' * power(1 - (g.i - (p.tickets - p.queue_tickets) + pg_temp.seed_rnd(p.seed, g.i, 10))
                                                  / p.queue_tickets, 1.4)
           ELSE pg_temp.seed_created(p, g.i) END
      FROM generate_series(lo, hi - 1) g(i)
     CROSS JOIN seed_pick k
      JOIN seed_customer c ON c.n = width_bucket(pg_temp.seed_rnd(p.seed, g.i, 1) * k.customer_total, k.customer_cum);

    -- contract in force on the creation day, and its level that day (the temporary raise)
    UPDATE seed_ticket t SET contract = x.id, service_level = x.level
      FROM (SELECT DISTINCT ON (t2.ticket) t2.ticket, c.id,
                   CASE WHEN c.raise_level IS NOT NULL AND (t2.created_at AT TIME ZONE t2.tz)::date BETWEEN c.raise_from AND c.raise_to
                        THEN c.raise_level ELSE c.service_level END AS level
              FROM seed_ticket t2 JOIN tuki.contract c ON c.customer = t2.customer
               AND c.valid_from <= (t2.created_at AT TIME ZONE t2.tz)::date
               AND (c.valid_to IS NULL OR c.valid_to >= (t2.created_at AT TIME ZONE t2.tz)::date)
             ORDER BY t2.ticket, c.valid_from DESC, c.id DESC) x
     WHERE x.ticket = t.ticket;

    UPDATE seed_ticket t SET
        contact = CASE WHEN pg_temp.seed_rnd(p.seed, t.i, 11) < 0.06 THEN NULL ELSE
                  (SELECT s.id FROM seed_contact s WHERE s.customer = t.customer
                    ORDER BY s.k OFFSET floor(pg_temp.seed_rnd(p.seed, t.i, 12)
                                              * (SELECT count(*) FROM seed_contact s2 WHERE s2.customer = t.customer))::bigint
                    LIMIT 1) END,
        template = y.templates[width_bucket(pg_temp.seed_rnd(p.seed, t.i, 13) * 100, y.cum)],
        reply_lang = CASE WHEN t.lang = 'fi' AND pg_temp.seed_rnd(p.seed, t.i, 14) < 0.9 THEN 'fi' ELSE 'en' END,
        response_minutes = g.response_minutes, resolve_minutes = g.resolve_minutes,
        subject = format(pg_temp.seed_pick((SELECT items FROM seed_text WHERE kind = 'subject_' || t.type AND lang = t.lang),
                                           pg_temp.seed_rnd(p.seed, t.i, 15)),
                         pg_temp.seed_pick((SELECT items FROM seed_text WHERE kind = 'object' AND lang = t.lang),
                                           pg_temp.seed_rnd(p.seed, t.i, 16))),
        body = pg_temp.seed_pick((SELECT items FROM seed_text WHERE kind = 'request' AND lang = t.lang),
                                 pg_temp.seed_rnd(p.seed, t.i, 17))
      FROM seed_type y, tuki.sla_target g, tuki.priority_matrix m
     WHERE y.code = t.type AND m.impact = t.impact AND m.urgency = t.urgency
       AND g.service_level = t.service_level AND g.priority = m.priority;
    UPDATE seed_ticket t SET billable_ok = coalesce(s.billable, false)
      FROM seed_ticket t2 LEFT JOIN seed_contact s ON s.id = t2.contact WHERE t2.ticket = t.ticket;
    -- the queue never holds tickets a lead already threw out
    UPDATE seed_ticket SET template = 1 WHERE queue AND template IN (7, 8);

    -- who acts: the second-line agent, the third-line one from the hand-over, the lead for lead-only closes
    INSERT INTO seed_step (ticket, n, kind, actor)
    SELECT t.ticket, s.n, s.kind,
           -- mail intake opens an emailed ticket: the desk itself, never an agent (issue 14)
           CASE WHEN s.kind = 'create' AND t.channel = 'email' THEN 'system'
                WHEN s.kind = 'lead_close' THEN k.lead
                WHEN s.n >= coalesce(array_position(m.steps, 'take3'), 1000) THEN t.third
                ELSE t.second END
      FROM seed_ticket t JOIN seed_template m ON m.id = t.template CROSS JOIN seed_pick k
     CROSS JOIN LATERAL unnest(m.steps) WITH ORDINALITY s(kind, n)
     -- queue tickets have only just arrived: at most two steps after creation, never resolved
     WHERE NOT t.queue OR s.n <= 1 + floor(pg_temp.seed_rnd(p.seed, t.i, 18) * 3);
    PERFORM pg_temp.seed_times(p);
    -- No ANALYZE here nor of the tables handed to tuki.history_load: the statements that read
    -- them are planned after they are filled, from their sizes, and plan as well; the ANALYZEs
    -- cost a third of a seed (10,000 tickets: 8.1 s with, 5.7 s without)
END
$$;

-- Creation time of history ticket i: evenly through the weighted weeks of the span, so ids
-- follow creation time.
CREATE FUNCTION pg_temp.seed_created(p seed_param, i bigint) RETURNS timestamptz
    LANGUAGE plpgsql STABLE
AS $$
DECLARE
    s seed_span;
    w seed_week;
    total float8;
    x float8;
    week integer;
    h integer;
BEGIN
    SELECT * INTO s FROM seed_span;
    SELECT * INTO w FROM seed_week;
    total := s.weeks + coalesce(w.cum[1 + least(floor(s.tail_hours)::integer, 167)], 0);
    x := (i + pg_temp.seed_rnd(p.seed, i, 19)) / greatest(p.tickets - p.queue_tickets, 1) * total;
    week := floor(x);
    x := x - week;
    h := width_bucket(x, w.cum) - 1;
    RETURN (s.start_local + make_interval(weeks => week, hours => h)
            + interval '1 hour' * least((x - w.cum[h + 1]) / w.share[h + 1], 0.999)) AT TIME ZONE 'Europe/Helsinki';
END
$$;

-- Step times: each step waits a random while after the previous one (scaled by the ticket's
-- SLA targets, so a share of them miss), agents and customers act in their office hours.
-- Steps after the anchor have not happened yet: the ticket is still active.
CREATE FUNCTION pg_temp.seed_times(p seed_param) RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    -- one walk along each ticket's steps (a step's time depends on the one before it)
    WITH RECURSIVE walk (ticket, n, at) AS (
        SELECT t.ticket, 1, t.created_at FROM seed_ticket t
        UNION ALL
        SELECT s.ticket, s.n, CASE
            WHEN t.queue THEN prev.at + (p.anchor - prev.at) * (0.2 + 0.5 * pg_temp.seed_rnd(p.seed, t.i, 100 + s.n))
            WHEN s.kind = 'close' THEN prev.at + interval '1 day' * (3 + 4 * pg_temp.seed_rnd(p.seed, t.i, 100 + s.n))
            WHEN s.kind = 'reopen' THEN pg_temp.seed_snap(prev.at + interval '1 day' * (0.3 + 3 * pg_temp.seed_rnd(p.seed, t.i, 100 + s.n)),
                                                          t.tz, t.opens, t.closes)
            WHEN s.kind = 'answer' THEN pg_temp.seed_snap(prev.at + interval '1 minute'
                                                          * pg_temp.seed_expo(pg_temp.seed_rnd(p.seed, t.i, 100 + s.n), 900),
                                                          t.tz, t.opens, t.closes)
            ELSE pg_temp.seed_snap(prev.at + interval '1 minute' * (1 + pg_temp.seed_expo(pg_temp.seed_rnd(p.seed, t.i, 100 + s.n),
                    CASE WHEN s.kind IN ('take', 'dismiss', 'lead_close', 'prio') THEN 0.2 * t.response_minutes
                         WHEN s.kind IN ('reply', 'ask') AND s.n <= 4 THEN 0.25 * t.response_minutes  -- the first answer
                         ELSE 0.09 * t.resolve_minutes END)),
                t.tz, t.opens, t.closes)
            END
          FROM walk prev
          JOIN seed_step s ON s.ticket = prev.ticket AND s.n = prev.n + 1
          JOIN seed_ticket t ON t.ticket = s.ticket
         WHERE prev.at <= p.anchor
    )
    UPDATE seed_step s SET at = w.at FROM walk w WHERE w.ticket = s.ticket AND w.n = s.n;
    -- steps after the anchor (and those after them, never walked) have not happened yet
    DELETE FROM seed_step WHERE at IS NULL OR at > p.anchor;
END
$$;

-- What every planned step does, as tuki.history_load reads it.
CREATE FUNCTION pg_temp.seed_fill_steps(p seed_param) RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    TRUNCATE history_ticket, history_step;
    INSERT INTO history_ticket (id, customer, contact, contract, service_level, type, channel, impact, urgency, subject,
                                team, created_at, actor)
    SELECT t.ticket, t.customer, t.contact, t.contract, t.service_level, t.type, t.channel, t.impact, t.urgency, t.subject,
           'second_line', s.at, s.actor
      FROM seed_ticket t JOIN seed_step s ON s.ticket = t.ticket AND s.n = 1;
    INSERT INTO history_step
    SELECT s.ticket, s.n, s.at, s.actor, x.msg_body, x.msg_visibility, x.msg_from_customer, x.msg_channel, x.msg_contact,
           -- a contact's words came in by mail or the portal by themselves; otherwise an agent typed them in
           CASE WHEN x.msg_from_customer AND s.actor <> 'system' AND x.msg_channel NOT IN ('email', 'portal') THEN s.actor END,
           CASE s.kind WHEN 'take' THEN 'open' WHEN 'ask' THEN 'waiting_customer' WHEN 'answer' THEN 'open'
                       WHEN 'reopen' THEN 'open' WHEN 'wait3' THEN 'waiting_third_party' WHEN 'back3' THEN 'open'
                       WHEN 'resolve' THEN 'resolved' WHEN 'dismiss' THEN 'resolved'
                       WHEN 'close' THEN 'closed' WHEN 'lead_close' THEN 'closed' END,
           CASE WHEN s.kind IN ('resolve', 'dismiss') THEN pg_temp.seed_pick(x.items, pg_temp.seed_rnd(p.seed, t.i, 200 + s.n)) END,
           s.kind IN ('take', 'take3', 'escalate'),
           CASE s.kind WHEN 'take' THEN t.second WHEN 'take3' THEN t.third END,
           CASE WHEN s.kind = 'escalate' THEN 'third_line' END,
           CASE WHEN s.kind = 'prio' THEN CASE WHEN t.impact = 1 AND t.urgency = 1 THEN 2 ELSE greatest(t.impact - 1, 1) END END,
           CASE WHEN s.kind = 'prio' THEN CASE WHEN t.impact = 1 AND t.urgency = 1 THEN 1 ELSE greatest(t.urgency - 1, 1) END END,
           CASE WHEN s.kind = 'confirm' THEN true END,
           CASE WHEN s.kind = 'confirm' THEN pg_temp.seed_fix_version(p, t) END,
           CASE WHEN s.kind = 'work' THEN 15 * (1 + floor(pg_temp.seed_rnd(p.seed, t.i, 300 + s.n) * 12))::integer END,
           x.work_billable,
           CASE WHEN s.kind = 'work' THEN pg_temp.seed_pick(x.items, pg_temp.seed_rnd(p.seed, t.i, 200 + s.n)) END,
           -- billable work was ordered by the ticket's contact (the seed bills only authorised ones)
           CASE WHEN x.work_billable THEN t.contact END
      FROM seed_step s
      JOIN seed_ticket t ON t.ticket = s.ticket
      LEFT JOIN seed_text x0 ON x0.kind = CASE s.kind WHEN 'take' THEN NULL WHEN 'take3' THEN NULL WHEN 'prio' THEN NULL
                                              WHEN 'close' THEN NULL WHEN 'lead_close' THEN NULL WHEN 'create' THEN NULL
                                              WHEN 'resolve' THEN 'resolution' ELSE s.kind END
           AND x0.lang = CASE WHEN s.kind IN ('answer', 'reopen') THEN t.lang ELSE t.reply_lang END
     CROSS JOIN LATERAL (SELECT x0.items,
           CASE WHEN s.kind IN ('create', 'reply', 'ask', 'answer', 'reopen', 'note', 'escalate', 'wait3', 'back3', 'confirm') THEN
               CASE s.kind
                   WHEN 'create' THEN t.body
                   WHEN 'confirm' THEN format(pg_temp.seed_pick(x0.items, pg_temp.seed_rnd(p.seed, t.i, 200 + s.n)),
                                              pg_temp.seed_fix_version(p, t))
                   ELSE pg_temp.seed_pick(x0.items, pg_temp.seed_rnd(p.seed, t.i, 200 + s.n)) END END AS msg_body,
           CASE WHEN s.kind IN ('note', 'escalate', 'wait3', 'back3') THEN 'internal' ELSE 'public' END AS msg_visibility,
           s.kind IN ('create', 'answer', 'reopen') AS msg_from_customer,
           CASE WHEN s.kind IN ('note', 'escalate', 'wait3', 'back3') THEN 'console'
                WHEN t.channel = 'console' THEN 'email' ELSE t.channel END AS msg_channel,
           CASE WHEN s.kind IN ('create', 'answer', 'reopen') THEN t.contact END AS msg_contact,
           CASE WHEN s.kind = 'work' THEN t.billable_ok AND pg_temp.seed_rnd(p.seed, t.i, 400 + s.n)
                                          < CASE WHEN t.type IN ('service_request', 'change') THEN 0.6 ELSE 0.12 END END
               AS work_billable) x;
END
$$;

-- Fix versions follow the calendar: 4.x.y over the span of the data set.
CREATE FUNCTION pg_temp.seed_fix_version(p seed_param, t seed_ticket) RETURNS text
    LANGUAGE sql STABLE
AS $$
    SELECT format('4.%s.%s', 2 + floor(extract(epoch FROM t.created_at - (p.anchor - interval '548 days')) / (86400 * 61))::integer,
                  floor(pg_temp.seed_rnd(p.seed, t.i, 500) * 4)::integer)
$$;

-- Loads tickets lo .. hi-1 (0-based numbers of the data set): plans them, describes every step
-- and hands the lot to tuki.history_load, which replays them set-based through the desk's rules.
CREATE FUNCTION pg_temp.seed_batch(lo bigint, hi bigint) RETURNS bigint
    LANGUAGE plpgsql
AS $$
DECLARE
    p seed_param;
BEGIN
    SELECT * INTO p FROM seed_param;
    PERFORM pg_temp.seed_plan(lo, hi);
    PERFORM pg_temp.seed_fill_steps(p);
    RETURN tuki.history_load();
END
$$;

-- After the last batch: identity sequences past the explicit ticket numbers.
CREATE FUNCTION pg_temp.seed_finish() RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM setval(pg_get_serial_sequence('tuki.ticket', 'id'), (SELECT max(id) FROM tuki.ticket));
END
$$;
