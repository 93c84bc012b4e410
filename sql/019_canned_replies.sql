-- Canned replies (Zammad's text modules, RT's templates): named texts an agent starts a reply
-- from. Leads keep them; agents read and render them for a ticket.
SET LOCAL ROLE tuki_owner;

CREATE TABLE tuki.canned_reply (
    name       text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
    body       text NOT NULL CHECK (NOT tuki.is_blank(body) AND octet_length(body) <= tuki.limit_of('message_body')),
    updated_at timestamptz NOT NULL DEFAULT tuki.now(),
    updated_by text NOT NULL DEFAULT tuki.actor()
);
COMMENT ON TABLE tuki.canned_reply IS 'Named texts a reply starts from (reply ID --canned NAME in the console). Placeholders, replaced by tuki.canned_render: {contact} the ticket''s contact (else the customer''s name), {ticket} the ticket number, {agent} the replying agent''s name, {customer} the customer''s name. Written through tuki.canned_set and tuki.canned_remove (leads).';
COMMENT ON COLUMN tuki.canned_reply.name IS 'Short name: lower-case letters, digits, - and _, at most 40 characters.';
COMMENT ON COLUMN tuki.canned_reply.body IS 'The text with its placeholders; not blank, at most tuki.limit_of(''message_body'') bytes.';
COMMENT ON COLUMN tuki.canned_reply.updated_at IS 'When it was last written (tuki.now()).';
COMMENT ON COLUMN tuki.canned_reply.updated_by IS 'Who last wrote it (tuki.actor()).';

CREATE FUNCTION tuki.canned_require(name text) RETURNS tuki.canned_reply
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    c tuki.canned_reply;
BEGIN
    SELECT * INTO c FROM tuki.canned_reply WHERE name = canned_require.name;
    IF NOT FOUND THEN
        PERFORM tuki.fail('TK006', format('no canned reply %s', coalesce(quote_literal(canned_require.name), 'NULL')),
            format('Canned replies: %s.', coalesce((SELECT string_agg(n.name, ', ' ORDER BY n.name)
                                                      FROM (SELECT name FROM tuki.canned_reply ORDER BY name LIMIT 30) n), 'none')),
            'The console''s canned command lists them; a lead adds one with tuki.canned_set(name, body).');
    END IF;
    RETURN c;
END
$$;
COMMENT ON FUNCTION tuki.canned_require(text) IS 'The canned reply of that name; TK006 naming the known ones when there is none.';

CREATE FUNCTION tuki.canned_render(name text, ticket bigint) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    body text;
    t tuki.ticket;
    vals jsonb;
BEGIN
    PERFORM tuki.require_staff();
    body := (tuki.canned_require(canned_render.name)).body;
    SELECT * INTO t FROM tuki.ticket WHERE id = canned_render.ticket;
    IF NOT FOUND THEN
        PERFORM tuki.fail('TK006', format('no ticket #%s', canned_render.ticket),
            'There is no ticket with that number.', 'See SELECT id, subject FROM tuki.queue;');
    END IF;
    vals := jsonb_build_object(
        '{contact}', coalesce((SELECT c.name FROM tuki.contact c WHERE c.id = t.contact),
                              (SELECT u.name FROM tuki.customer u WHERE u.code = t.customer)),
        '{ticket}', t.id::text,
        '{agent}', coalesce((SELECT a.display_name FROM tuki.agent a WHERE a.login = tuki.actor()), tuki.actor()),
        '{customer}', (SELECT u.name FROM tuki.customer u WHERE u.code = t.customer));
    -- one pass over the text: a name that itself reads "{agent}" is not replaced again
    RETURN (SELECT string_agg(coalesce(vals ->> p.piece, p.piece), '' ORDER BY p.n)
              FROM regexp_split_to_table(body, '(?=\{)|(?<=\})') WITH ORDINALITY p(piece, n));
END
$$;
COMMENT ON FUNCTION tuki.canned_render(text, bigint) IS 'The canned reply name for ticket: {contact} becomes the ticket''s contact''s name (the customer''s name when it has none), {ticket} its number, {agent} the calling agent''s display name, {customer} the customer''s name; other braces stay as written. Agents (TK005 otherwise); TK006 for an unknown name or ticket.';

CREATE FUNCTION tuki.canned_require_lead() RETURNS void
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM tuki.require_staff();
    IF NOT tuki.actor_is_lead() THEN
        PERFORM tuki.fail('TK005', 'only a lead may change canned replies',
            'Agents read and use canned replies; leads add, change and remove them.',
            'Ask a lead.');
    END IF;
END
$$;
COMMENT ON FUNCTION tuki.canned_require_lead() IS 'TK005 unless the caller is a lead (or an administrator).';

CREATE FUNCTION tuki.canned_set(name text, body text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    inserted boolean;
BEGIN
    PERFORM tuki.canned_require_lead();
    IF canned_set.name IS NULL OR canned_set.name !~ '^[a-z0-9][a-z0-9_-]{0,39}$' THEN
        PERFORM tuki.fail('TK006', format('invalid canned reply name %s', coalesce(quote_literal(canned_set.name), 'NULL')),
            'A name is lower-case letters, digits, - and _, starting with a letter or digit, at most 40 characters.',
            'For example thanks, need-logs or fixed_in_release.');
    END IF;
    PERFORM tuki.check_text('canned reply', canned_set.body, 'message_body');
    INSERT INTO tuki.canned_reply AS c (name, body) VALUES (canned_set.name, canned_set.body)
    ON CONFLICT (name) DO UPDATE SET body = EXCLUDED.body, updated_at = tuki.now(), updated_by = tuki.actor()
    RETURNING (xmax = 0) INTO inserted;
    RETURN inserted;
END
$$;
COMMENT ON FUNCTION tuki.canned_set(text, text) IS 'Adds a canned reply or changes the text of one; returns true when it was added. Leads only (TK005); TK006 for an invalid name or a blank body, TK009 over the message_body limit.';

CREATE FUNCTION tuki.canned_remove(name text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    PERFORM tuki.canned_require_lead();
    PERFORM tuki.canned_require(canned_remove.name);
    DELETE FROM tuki.canned_reply WHERE name = canned_remove.name;
END
$$;
COMMENT ON FUNCTION tuki.canned_remove(text) IS 'Removes a canned reply. Leads only (TK005); TK006 for an unknown name.';

-- agents read the table (the default privileges of 014_security.sql) and render; leads write
-- through the functions, which check who calls (TK005) rather than leaving agents a bare 42501
GRANT EXECUTE ON FUNCTION tuki.canned_render(text, bigint), tuki.canned_set(text, text), tuki.canned_remove(text)
    TO tuki_agent;

RESET ROLE;
