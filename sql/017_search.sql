-- 017: search that finds. Full-text search over ticket subjects, message bodies, contact names
-- and addresses, customer codes and names: case and accents ignored (unaccent), words in any
-- order, Finnish inflection folded by the finnish stemmer, ranked, and each field read through a
-- GIN expression index so no search reads tuki.message row by row. Additive only: no column and
-- no trigger, the indexes are on expressions. tuki.search is SECURITY INVOKER: row-level
-- security decides what each caller finds, as it decides what it reads.

-- unaccent is a trusted extension (PostgreSQL 13+): the database owner may create it, a
-- superuser always may. Anything else gets one clear error instead of a missing dictionary later.
DO $$
DECLARE
    st text;
    msg text;
BEGIN
    CREATE EXTENSION IF NOT EXISTS unaccent;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    RAISE EXCEPTION USING ERRCODE = st,
        MESSAGE = format('tuki''s search needs the PostgreSQL extension unaccent: %s', msg),
        HINT = 'Install it (Debian: the postgresql-15 package ships it) and run tuki migrate as the database''s owner or a superuser, or have a superuser run CREATE EXTENSION unaccent in this database first.';
END
$$;

SET LOCAL ROLE tuki_owner;

-- tuki.fi: Finnish stemming after unaccent, so "ääkköset", "AAKKOSET" and "aakkosia" meet.
-- Numbers, addresses and host names keep the simple dictionary (after unaccent).
CREATE TEXT SEARCH CONFIGURATION tuki.fi (COPY = pg_catalog.finnish);
DO $$
DECLARE
    ext_schema text := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                         WHERE e.extname = 'unaccent');
BEGIN
    EXECUTE format('ALTER TEXT SEARCH CONFIGURATION tuki.fi ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, '
                   'word, hword, hword_part WITH %I.unaccent, finnish_stem', ext_schema);
    EXECUTE format('ALTER TEXT SEARCH CONFIGURATION tuki.fi ALTER MAPPING FOR email, host, url, url_path, file, '
                   'numword, numhword, hword_numpart WITH %I.unaccent, simple', ext_schema);
END
$$;
COMMENT ON TEXT SEARCH CONFIGURATION tuki.fi IS 'tuki''s search: unaccent, then the finnish stemmer for words; unaccent, then simple for numbers, addresses and hosts. Used by tuki.search_vector and tuki.search_query.';

-- Addresses and dotted names are split into their words on both sides ("paivi.makela" finds
-- paivi.makela@acme.fi): the parser would otherwise see one host or email token on one side and
-- another on the other.
-- No SET clause: a SQL function with one is never inlined, and in the GIN indexes' expression
-- it was parsed and planned again for every row written (11 us of every ticket update that
-- moves an indexed column, tests/sql/write_path.sql). The names are qualified instead, so the
-- caller's search_path cannot change what the index holds.
CREATE FUNCTION tuki.search_text(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT pg_catalog.translate(t, '.@_/:', '     ') $$;
COMMENT ON FUNCTION tuki.search_text(text) IS 'The text as search reads it: . @ _ / : become spaces, so addresses and dotted names are searched by their words.';

-- IMMUTABLE so it can be indexed: the configuration is named, not taken from the session.
CREATE FUNCTION tuki.search_vector(t text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT pg_catalog.to_tsvector('tuki.fi'::pg_catalog.regconfig, tuki.search_text(t)) $$;
COMMENT ON FUNCTION tuki.search_vector(text) IS 'The searchable words of a text (tuki.fi over tuki.search_text); the GIN indexes of search are on it.';

CREATE FUNCTION tuki.search_query(q text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT pg_catalog.websearch_to_tsquery('tuki.fi'::pg_catalog.regconfig, tuki.search_text(q)) $$;
COMMENT ON FUNCTION tuki.search_query(text) IS 'What a search finds: every word of q in any order ("quoted phrases" and -excluded words as web search engines read them), folded as tuki.search_vector folds text.';

CREATE INDEX ticket_search ON tuki.ticket USING gin (tuki.search_vector(subject));
COMMENT ON INDEX tuki.ticket_search IS 'Search by subject (tuki.search).';
CREATE INDEX message_search ON tuki.message USING gin (tuki.search_vector(body));
COMMENT ON INDEX tuki.message_search IS 'Search by message body (tuki.search): no search reads the messages row by row.';
CREATE INDEX contact_search ON tuki.contact USING gin (tuki.search_vector(name || ' ' || coalesce(email, '')));
COMMENT ON INDEX tuki.contact_search IS 'Search by contact name and address (tuki.search).';
CREATE INDEX customer_search ON tuki.customer USING gin (tuki.search_vector(code || ' ' || name));
COMMENT ON INDEX tuki.customer_search IS 'Search by customer code and name (tuki.search).';
-- the contact's tickets, for a search that found the contact
CREATE INDEX ticket_contact ON tuki.ticket (contact);
COMMENT ON INDEX tuki.ticket_contact IS 'A contact''s tickets (tuki.search by contact).';

-- Each field matches on its own index; a ticket's rank is its best field's, weighted: the
-- subject counts most, then who asked, then what was written.
CREATE FUNCTION tuki.search(q text, n integer) RETURNS TABLE (id bigint, rank real)
    LANGUAGE sql STABLE
AS $$
    -- tuki.search_query(q) in each branch, not a shared CTE: a constant the planner folds and
    -- hands to each GIN index
    WITH hit (id, rank) AS (
        -- a number compared as a number: one probe of the primary key, not a scan of it
        SELECT t.id, 10.0::real FROM tuki.ticket t
         WHERE t.id = CASE WHEN ltrim(btrim(q), '#') ~ '^[0-9]{1,18}$' THEN ltrim(btrim(q), '#')::bigint END
        UNION ALL
        SELECT t.id, 1.0 * ts_rank(tuki.search_vector(t.subject), tuki.search_query(q))
          FROM tuki.ticket t WHERE tuki.search_vector(t.subject) @@ tuki.search_query(q)
        UNION ALL
        SELECT t.id, 0.5 * ts_rank(tuki.search_vector(c.name || ' ' || coalesce(c.email, '')), tuki.search_query(q))
          FROM tuki.contact c JOIN tuki.ticket t ON t.contact = c.id
         WHERE tuki.search_vector(c.name || ' ' || coalesce(c.email, '')) @@ tuki.search_query(q)
        UNION ALL
        SELECT t.id, 0.4 * ts_rank(tuki.search_vector(cu.code || ' ' || cu.name), tuki.search_query(q))
          FROM tuki.customer cu JOIN tuki.ticket t ON t.customer = cu.code
         WHERE tuki.search_vector(cu.code || ' ' || cu.name) @@ tuki.search_query(q)
        UNION ALL
        SELECT m.ticket, 0.2 * ts_rank(tuki.search_vector(m.body), tuki.search_query(q))
          FROM tuki.message m WHERE tuki.search_vector(m.body) @@ tuki.search_query(q))
    SELECT hit.id, max(hit.rank)::real FROM hit GROUP BY hit.id
     ORDER BY 2 DESC, 1 DESC LIMIT search.n
$$;
COMMENT ON FUNCTION tuki.search(text, integer) IS 'The console''s search: at most n tickets (all when n is null) of any status whose id is q (#42 or 42), or whose subject, contact name or address, customer code or name, or one message contains every word of q (tuki.search_query: case, accents, order and Finnish inflection aside), best first: subject before contact before customer before message, then newest. Row-level security of the caller applies: a contact finds only its own organisation''s tickets and public messages.';

-- The customer a console filter names, in any case; unknown is an error, not an empty queue.
CREATE FUNCTION tuki.customer_find(code text) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    found text := (SELECT c.code FROM tuki.customer c WHERE c.code = upper(btrim(customer_find.code)));
BEGIN
    IF found IS NULL THEN
        PERFORM tuki.fail('TK006', format('no customer %s', customer_find.code),
                          format('No customer you can see has the code %s.', upper(btrim(customer_find.code))),
                          'Customer codes are like ACME; search WORDS finds a customer by its name.');
    END IF;
    RETURN found;
END
$$;
COMMENT ON FUNCTION tuki.customer_find(text) IS 'The code of the customer whose code is code in any case (acme is ACME); TK006 when there is none the caller can see.';

REVOKE EXECUTE ON FUNCTION tuki.search_text(text), tuki.search_vector(text), tuki.search_query(text),
    tuki.search(text, integer), tuki.customer_find(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tuki.search_text(text), tuki.search_vector(text), tuki.search_query(text),
    tuki.search(text, integer), tuki.customer_find(text) TO tuki_agent, tuki_readonly, tuki_customer;
