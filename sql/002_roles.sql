-- The roles: group roles are cluster-wide, so they are created only when missing; the schema
-- and everything in it belong to tuki_owner (NOLOGIN), and every later file runs as it.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['tuki_owner', 'tuki_agent', 'tuki_lead', 'tuki_readonly', 'tuki_customer'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
    IF NOT EXISTS (SELECT 1 FROM pg_auth_members m
                    WHERE m.roleid = 'tuki_agent'::regrole AND m.member = 'tuki_lead'::regrole) THEN
        GRANT tuki_agent TO tuki_lead;
    END IF;
    -- the owner hands out agent, lead and customer membership from tuki.agent_add and friends
    FOREACH r IN ARRAY ARRAY['tuki_agent', 'tuki_lead', 'tuki_customer'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_auth_members m
                        WHERE m.roleid = r::regrole AND m.member = 'tuki_owner'::regrole AND m.admin_option) THEN
            EXECUTE format('GRANT %I TO tuki_owner WITH ADMIN OPTION', r);
        END IF;
    END LOOP;
    -- a non-superuser migrator (database owner with CREATEROLE) must be able to act as the owner
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        EXECUTE format('GRANT tuki_owner TO %I', current_user);
    END IF;
END
$$;
COMMENT ON ROLE tuki_owner IS 'tuki: owns the schema objects and the SECURITY DEFINER API; NOLOGIN, nobody works as it.';
COMMENT ON ROLE tuki_agent IS 'tuki: second-line agents; read the desk, write only through the tuki.* API functions.';
COMMENT ON ROLE tuki_lead IS 'tuki: team leads; an agent who may reassign, close new tickets and register agents.';
COMMENT ON ROLE tuki_readonly IS 'tuki: DBAs and reporting; read every table and view, write nothing.';
COMMENT ON ROLE tuki_customer IS 'tuki: customer contacts (tuki.contact.login); see their own organisation''s tickets and public messages only.';

-- Everything in the schema, including what earlier migrations created, belongs to tuki_owner.
ALTER SCHEMA tuki OWNER TO tuki_owner;
DO $$
DECLARE
    o record;
BEGIN
    FOR o IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
              WHERE c.relnamespace = 'tuki'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p', 'S')
                AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO tuki_owner',
                       CASE o.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                                      WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, o.name);
    END LOOP;
    FOR o IN SELECT p.oid::regprocedure AS name FROM pg_proc p WHERE p.pronamespace = 'tuki'::regnamespace LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO tuki_owner', o.name);
    END LOOP;
END
$$;
