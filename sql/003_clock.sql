-- Who acts and when: tuki.actor() and tuki.now(), the one source of both for every default,
-- trigger and event; tuki.fail (the TK errors), tuki.notify (the NOTIFY payload) and tuki.listen.
--
-- Writing the past is for administrators only: for superusers and members of tuki_owner the
-- settings tuki.now and tuki.actor move the clock and name the actor (tests and fixtures use
-- them); with tuki.sla_bulk = 'on' (tuki.sla_recompute) the ticket's row triggers stand aside
-- for SLA values computed set-based (tuki.sla_bulk_mode). For everyone else the settings change
-- nothing. A whole history (tuki seed) is loaded by tuki.history_load (025_history_load.sql),
-- which the production triggers know nothing of.
SET LOCAL ROLE tuki_owner;

-- Superusers are members of every role, so pg_has_role alone covers "superuser or tuki_owner".
-- A plain SQL expression with qualified names and no SET clause, so the planner inlines it
-- into tuki.now() and the triggers that call it for every row.
CREATE FUNCTION tuki.actor_is_admin() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT pg_catalog.pg_has_role(session_user, 'tuki_owner', 'MEMBER') $$;
COMMENT ON FUNCTION tuki.actor_is_admin() IS 'True when the session user is a superuser or a member of tuki_owner (the people who migrate the schema); they may move the clock and act with lead rights.';

CREATE FUNCTION tuki.actor() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN coalesce(current_setting('tuki.actor', true), '') <> '' AND tuki.actor_is_admin()
                THEN current_setting('tuki.actor', true)
                ELSE session_user::text END
$$;
COMMENT ON FUNCTION tuki.actor() IS 'Who is acting: the login role of the session (session_user), not the owner inside SECURITY DEFINER functions. Administrators (superusers, members of tuki_owner) writing the past may name another actor with the setting tuki.actor; everyone else cannot.';

-- No SET search_path (it is not SECURITY DEFINER; names are qualified) and one SQL expression:
-- every default, trigger and event calls it once per row, and the planner inlines it there.
CREATE FUNCTION tuki.now() RETURNS timestamptz
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN coalesce(pg_catalog.current_setting('tuki.now', true), '') = '' OR NOT tuki.actor_is_admin()
                THEN pg_catalog.now()
                ELSE pg_catalog.current_setting('tuki.now', true)::timestamptz END
$$;
COMMENT ON FUNCTION tuki.now() IS 'The desk''s clock: now(), or the value of setting tuki.now when it is set and the session user is a superuser or member of tuki_owner (back-dated fixtures and tests). Everyone else cannot move it. Every default, trigger and event uses it.';

-- Bulk mode: tuki.sla_recompute (010_sla_clocks.sql), in an administrator's session, writes SLA
-- values it computed set-based for 100,000 tickets at once; the row triggers of tuki.ticket
-- (lifecycle, SLA clocks) stand aside while it does. A plain SQL expression, so a trigger's
-- WHEN inlines it.
--
-- The transactions in which tuki.sla_recompute, run by the desk's own triggers for a lead's change
-- of hours, holidays or a contract, writes set-based: a row here cannot be forged (only the owner
-- writes it, and only for the length of that one rewrite), unlike a setting.
CREATE TABLE tuki.sla_bulk_pass (
    xact xid8 PRIMARY KEY
);
COMMENT ON TABLE tuki.sla_bulk_pass IS 'While tuki.sla_recompute rewrites deadlines in a session that is not an administrator''s (a lead changed hours, holidays or a contract, and the desk''s triggers called it), the transaction''s id; removed when the rewrite ends. Lets tuki.sla_bulk_mode trust the tuki.sla_bulk setting there.';
COMMENT ON COLUMN tuki.sla_bulk_pass.xact IS 'The transaction (pg_current_xact_id()).';

-- PL/pgSQL, not SQL: the EXISTS keeps a SQL function from being inlined, and a SQL function
-- that is not inlined is planned again at every call (15 us, four times in every ticket
-- update); PL/pgSQL keeps its plan and returns at once when the setting is off.
CREATE FUNCTION tuki.sla_bulk_mode() RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
BEGIN
    -- Only tuki.sla_recompute (an administrator's session, or the desk's triggers with their
    -- pass) may say the values are computed set-based: a setting anyone can SET
    -- must not switch the SLA row trigger off.
    IF coalesce(pg_catalog.current_setting('tuki.sla_bulk', true), '') <> 'on' THEN
        RETURN false;
    END IF;
    RETURN tuki.actor_is_admin()
           OR EXISTS (SELECT 1 FROM tuki.sla_bulk_pass p WHERE p.xact = pg_catalog.pg_current_xact_id_if_assigned());
END
$$;
COMMENT ON FUNCTION tuki.sla_bulk_mode() IS 'True while tuki.sla_recompute (or an administrator) writes SLA values computed set-based: setting tuki.sla_bulk on, in an administrator''s session or a transaction holding a tuki.sla_bulk_pass; the SLA row triggers, the version stamp and the history of changed fields then stand aside (tuki.sla_recompute writes version and events itself). The setting alone, from anyone else, changes nothing.';

CREATE FUNCTION tuki.fail(code text, message text, detail text, hint text) RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = code, MESSAGE = message, DETAIL = detail, HINT = hint;
END
$$;
COMMENT ON FUNCTION tuki.fail(text, text, text, text) IS 'Raises a tuki rule violation (SQLSTATE class TK) with a one-line message, DETAIL and HINT; see tuki-schema(7) for the codes.';

-- Any login may LISTEN on any channel (PostgreSQL has no privilege for it), so a channel
-- whose name can be guessed is public. The desk's channels are named from a random key only
-- the owner reads: staff listen on one, each customer's contacts on their customer's own, and
-- tuki.listen() is the only way to learn a name (the caller's own).
CREATE TABLE tuki.notify_key (
    only_one boolean PRIMARY KEY DEFAULT true CHECK (only_one),
    key      text NOT NULL CHECK (key ~ '^[0-9a-f]{32}$')
);
COMMENT ON TABLE tuki.notify_key IS 'The random key the notification channels are named from (tuki.notify_channel); one row, readable by the owner only. Replacing it renames every channel (consoles pick the new names up when they reconnect).';
COMMENT ON COLUMN tuki.notify_key.only_one IS 'Always true: the table has one row.';
COMMENT ON COLUMN tuki.notify_key.key IS '128 random bits in hex, made when the schema was created.';
INSERT INTO tuki.notify_key (key) VALUES (replace(gen_random_uuid()::text, '-', ''));

-- The channel's name from the key: plain SQL, inlined into the one query of tuki.notify.
CREATE FUNCTION tuki.notify_channel_of(key text, customer text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN customer IS NULL THEN 'tuki_s_' || left(md5(key || ':staff'), 24)
                ELSE 'tuki_c_' || left(md5(key || ':customer:' || customer), 24) END
$$;
COMMENT ON FUNCTION tuki.notify_channel_of(text, text) IS 'The notification channel named from the key of tuki.notify_key: a customer''s contacts'' (tuki_c_ and 24 hex digits), or for null the staff''s (tuki_s_...).';

-- PL/pgSQL, not SQL: a SQL function with SET is never inlined and is planned again at every
-- call (27 us); PL/pgSQL keeps its plan.
CREATE FUNCTION tuki.notify_channel(customer text) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN (SELECT tuki.notify_channel_of(k.key, notify_channel.customer) FROM tuki.notify_key k);
END
$$;
COMMENT ON FUNCTION tuki.notify_channel(text) IS 'The notification channel of a customer''s contacts (tuki_c_ and 24 hex digits), or for null the staff channel (tuki_s_...): names that cannot be guessed without tuki.notify_key. The owner''s only; clients ask tuki.listen().';

-- The payload, small whatever the number of ids: STABLE like format() and to_json() it calls,
-- so it is inlined (an IMMUTABLE SQL function over stable ones is not, and was planned again at
-- every call, 46 us).
CREATE FUNCTION tuki.notify_payload(kind text, ids bigint[]) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT format('{"v":1,"kind":%s,"ids":%s}', to_json(kind),
                  -- the whole payload over 7900 bytes: its fixed part is 24 of them
                  CASE WHEN octet_length(to_json(kind)::text) + octet_length(array_to_string(ids, ',')) > 7876
                       THEN 'null,"more":true' ELSE '[' || array_to_string(ids, ',') || ']' END)
$$;
COMMENT ON FUNCTION tuki.notify_payload(text, bigint[]) IS 'A notification''s payload: {"v":1,"kind":KIND,"ids":[...]}, or {"v":1,"kind":KIND,"ids":null,"more":true} when that would pass 7900 bytes.';

-- Every notification of one call in one query, with one generic plan: a custom plan (which
-- knows how many ids there are) looked cheaper, so PL/pgSQL planned the query again at every
-- call (26 us of every ticket change, pg_stat_statements, tests/bench/run). No search_path of
-- its own: it is not SECURITY DEFINER, only the owner's functions call it, and those pin it (a
-- SET costs every ticket change 12 us, track_functions).
CREATE FUNCTION tuki.notify(kind text, ids bigint[]) RETURNS void
    LANGUAGE plpgsql
    SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    -- the staff hear of everything; each customer's contacts of their own tickets only (other
    -- kinds' ids are not tickets)
    PERFORM pg_catalog.pg_notify(tuki.notify_channel_of(k.key, c.customer), tuki.notify_payload(notify.kind, c.own))
       FROM tuki.notify_key k
      CROSS JOIN (SELECT NULL::text AS customer, notify.ids AS own
                  UNION ALL
                  SELECT t.customer, pg_catalog.array_agg(t.id ORDER BY t.id) FROM tuki.ticket t
                   WHERE notify.kind IN ('ticket', 'sla') AND t.id = ANY (notify.ids)
                   GROUP BY t.customer) c;
END
$$;
COMMENT ON FUNCTION tuki.notify(text, bigint[]) IS 'Sends one NOTIFY on the staff channel (tuki.notify_channel(null)): {"v":1,"kind":KIND,"ids":[...]} or, when that would pass 7900 bytes, {"v":1,"kind":KIND,"ids":null,"more":true}; for kinds ticket and sla also one on each concerned customer''s channel listing only that customer''s tickets. Empty id lists send nothing.';

CREATE FUNCTION tuki.listen() RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    channel text;
BEGIN
    IF tuki.role_is_customer(session_user) THEN
        channel := tuki.notify_channel((SELECT c.customer FROM tuki.contact_self() c));
        IF (SELECT c.customer FROM tuki.contact_self() c) IS NULL THEN
            PERFORM tuki.fail('TK005', format('%s is not an active contact', session_user),
                'A customer login hears of its organisation''s tickets once a lead maps it to an active contact (tuki.contact.login).',
                'Ask the vendor''s lead.');
        END IF;
    ELSIF tuki.actor_is_admin() OR pg_has_role(session_user, 'tuki_agent', 'MEMBER')
          OR pg_has_role(session_user, 'tuki_readonly', 'MEMBER') THEN
        channel := tuki.notify_channel(NULL);
    ELSE
        PERFORM tuki.fail('TK005', format('%s has no tuki role', session_user),
            'Notifications are for the desk''s staff and its customers'' contacts.', 'Ask a DBA for a tuki role.');
    END IF;
    EXECUTE format('LISTEN %I', channel);
    RETURN channel;
END
$$;
COMMENT ON FUNCTION tuki.listen() IS 'LISTENs the session on its notification channel and returns the channel''s name: staff (agents, leads, tuki_readonly, administrators) on the staff channel, a contact''s login on its customer''s channel (TK005 for a customer login with no active contact and for roles with no tuki role). Like LISTEN it takes effect at commit. Consoles call it on every connection.';

RESET ROLE;
