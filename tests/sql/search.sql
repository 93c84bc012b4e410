-- Search that finds (tuki.search): case, accents, word order and Finnish inflection aside;
-- contacts' names and addresses and customers' codes searched too; ranked, subject first; each
-- field read through its GIN index; row-level security decides what a contact finds.
BEGIN;
SELECT plan(14);

\ir lib/as_role.psql

CREATE ROLE ts_acme LOGIN IN ROLE tuki_customer;
CREATE ROLE ts_kone LOGIN IN ROLE tuki_customer;
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy'), ('KONE', 'Konepaja Mäkinen Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES
    ('ACME', 'premium', 'fi-8-16', '2020-01-01'), ('KONE', 'standard', 'fi-9-17', '2020-01-01');
INSERT INTO tuki.contact (customer, name, email, login) VALUES
    ('ACME', 'Päivi Mäkelä', 'paivi.makela@acme.fi', 'ts_acme'),
    ('KONE', 'Jari Virtanen', 'jari.virtanen@kone.fi', 'ts_kone');

CREATE TEMP TABLE t (name text PRIMARY KEY, id bigint);
INSERT INTO t VALUES
    ('vpn',     tuki.ticket_create('ACME', 'Toistuvat katkot: VPN', 'Yhteys katkeaa tunnin välein.', contact_email => 'paivi.makela@acme.fi')),
    ('accents', tuki.ticket_create('KONE', 'Laskun ääkköset rikki', 'Tulosteessa väärät merkit.', contact_email => 'jari.virtanen@kone.fi')),
    ('body',    tuki.ticket_create('KONE', 'Tulostin', 'Raportin otsikossa on VPN-tunnus ja katkot näkyvät.', contact_email => 'jari.virtanen@kone.fi')),
    ('other',   tuki.ticket_create('KONE', 'Salasana vanhentunut', 'Salasanan vaihto ei onnistu.', contact_email => 'jari.virtanen@kone.fi'));
SELECT tuki.ticket_note((SELECT id FROM t WHERE name = 'other'), 'sisäinen muistiinpano: toistuvat katkot');

CREATE FUNCTION pg_temp.found(q text) RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(t.name, ',' ORDER BY s.rank DESC, s.id DESC) FROM tuki.search(q, NULL) s JOIN t USING (id) $$;

SELECT is(pg_temp.found('VPN katkot'), 'vpn,body', '"VPN katkot" finds "Toistuvat katkot: VPN" (word order aside), the subject above a body that says it too');
SELECT is(pg_temp.found('katkot VPN'), pg_temp.found('VPN katkot'), 'word order does not matter');
SELECT is(pg_temp.found('AAKKOSET'), 'accents', '"AAKKOSET" finds "ääkköset"');
SELECT is(pg_temp.found('aakkosia'), 'accents', 'an inflected form ("aakkosia", partitive) finds the base form "ääkköset" (finnish stemmer)');
SELECT is(pg_temp.found('katkoja'), 'vpn,other,body', '"katkoja" (partitive) finds "katkot", an agent in internal notes too');
SELECT is(pg_temp.found('paivi.makela'), 'vpn', 'a contact''s address finds their tickets');
SELECT is(pg_temp.found('paivi.makela@acme.fi'), 'vpn', 'so does the whole address');
SELECT is(pg_temp.found('Mäkelä'), 'vpn', 'and the contact''s name');
SELECT is(pg_temp.found('kone'), 'other,body,accents', 'a customer''s code in any case finds its tickets');
SELECT is(pg_temp.found('#' || (SELECT id FROM t WHERE name = 'accents')), 'accents', 'a ticket''s number finds it');
SELECT is(pg_temp.found('kirahvi'), NULL, 'a word nowhere finds nothing');

-- row-level security: a contact finds only its own organisation's tickets and public messages
SELECT is(pg_temp.val_as('ts_acme', $$SELECT string_agg(id::text, ',') FROM tuki.search('katkot', NULL)$$),
    (SELECT id::text FROM t WHERE name = 'vpn'), 'ACME''s contact searching "katkot" finds ACME''s ticket only');
SELECT is(pg_temp.val_as('ts_kone', $$SELECT string_agg(id::text, ',') FROM tuki.search('toistuvat', NULL)$$),
    NULL, 'KONE''s contact does not find its ticket by the words of an internal note, nor ACME''s by its subject');

-- the index: 20,000 more messages, and the search still reads none of them row by row
INSERT INTO tuki.message (ticket, visibility, body)
SELECT (SELECT id FROM t WHERE name = 'other'), 'public', 'Viesti numero ' || g || ' tavallista tekstiä ilman hakusanaa'
  FROM generate_series(1, 20000) g;
ANALYZE tuki.message;
ANALYZE tuki.ticket;
CREATE FUNCTION pg_temp.plan(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text; all_lines text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN SELECT * FROM tuki.search($1, 50)' USING q LOOP
        all_lines := all_lines || line || E'\n';
    END LOOP;
    RETURN all_lines;
END $$;
SELECT ok(pg_temp.plan('VPN katkot') ~ 'Bitmap Index Scan on message_search' AND pg_temp.plan('VPN katkot') !~ 'Seq Scan on message',
    'searching 20,000 messages uses the GIN index message_search, no sequential scan of tuki.message');

SELECT * FROM finish();
ROLLBACK;
