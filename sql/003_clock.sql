-- Who acts and when: tuki.actor() and tuki.now(), the one source of both for every default,
-- trigger and event; tuki.fail (the TK errors) and tuki.notify (the NOTIFY payload).
--
-- Replaying history is the one administrator-only way to write the past (tuki seed uses it):
-- for superusers and members of tuki_owner only, the settings tuki.now and tuki.actor move
-- the clock and name the actor; with tuki.clock = 'ticket' the session's temporary table
-- pg_temp.tuki_clock (ticket, at, actor) gives each ticket of a set-based statement its own
-- time (tuki.replaying, tuki.ticket_now); with tuki.sla_bulk = 'on' (tuki.sla_recompute) the
-- ticket's row triggers stand aside for SLA values computed set-based (tuki.sla_bulk_mode). For
-- everyone else the settings change nothing.
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
COMMENT ON FUNCTION tuki.actor() IS 'Who is acting: the login role of the session (session_user), not the owner inside SECURITY DEFINER functions. Administrators (superusers, members of tuki_owner) replaying history may name another actor with the setting tuki.actor; everyone else cannot.';

-- No SET search_path (it is not SECURITY DEFINER; names are qualified) and one SQL expression:
-- every default, trigger and event calls it once per row, and the planner inlines it there.
CREATE FUNCTION tuki.now() RETURNS timestamptz
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN coalesce(pg_catalog.current_setting('tuki.now', true), '') = '' OR NOT tuki.actor_is_admin()
                THEN pg_catalog.now()
                ELSE pg_catalog.current_setting('tuki.now', true)::timestamptz END
$$;
COMMENT ON FUNCTION tuki.now() IS 'The desk''s clock: now(), or the value of setting tuki.now when it is set and the session user is a superuser or member of tuki_owner (back-dated seeding). Everyone else cannot move it. Every default, trigger and event uses it.';

-- Replaying history (tuki seed): an administrator's statement can carry many tickets' steps at
-- once, each at its own time. The time of each ticket is then in the session's temporary
-- table pg_temp.tuki_clock (ticket, at, actor), used while setting tuki.clock = 'ticket'.
-- Statement triggers that judge a ticket "now" (the SLA alert pass) and the event stamp read it.
CREATE FUNCTION tuki.replaying() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT coalesce(pg_catalog.current_setting('tuki.clock', true) = 'ticket', false) AND tuki.actor_is_admin() $$;
COMMENT ON FUNCTION tuki.replaying() IS 'True while an administrator replays history with per-ticket clocks (setting tuki.clock = ''ticket'' and the session''s table pg_temp.tuki_clock); false for everyone else, whatever they set.';

-- PL/pgSQL: pg_temp.tuki_clock exists only in a replaying session, so the look-up is planned
-- only when it runs.
CREATE FUNCTION tuki.ticket_now(ticket bigint) RETURNS timestamptz
    LANGUAGE plpgsql STABLE
AS $$
DECLARE
    replayed timestamptz;
BEGIN
    IF tuki.replaying() THEN
        SELECT c.at INTO replayed FROM pg_temp.tuki_clock c WHERE c.ticket = ticket_now.ticket;
    END IF;
    RETURN coalesce(replayed, tuki.now());
END
$$;
COMMENT ON FUNCTION tuki.ticket_now(bigint) IS 'The desk''s clock for one ticket: tuki.now(), or while an administrator replays history (tuki.replaying()) that ticket''s own time in pg_temp.tuki_clock.';

-- Bulk mode: tuki.sla_recompute (010_sla_clocks.sql), in an administrator's session, writes SLA
-- values it computed set-based for 100,000 tickets at once; the row triggers of tuki.ticket
-- (lifecycle, SLA clocks) stand aside while it does. A plain SQL expression, so a trigger's
-- WHEN inlines it.
CREATE FUNCTION tuki.sla_bulk_mode() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    -- Only an administrator's session (tuki.sla_recompute) may say the values are computed
    -- set-based: a setting anyone can SET must not switch the ticket's row triggers off.
    SELECT coalesce(pg_catalog.current_setting('tuki.sla_bulk', true) = 'on', false)
           AND tuki.actor_is_admin()
$$;
COMMENT ON FUNCTION tuki.sla_bulk_mode() IS 'True while an administrator''s session writes SLA values computed set-based (setting tuki.sla_bulk on, as tuki.sla_recompute does); the lifecycle and SLA row triggers of tuki.ticket then stand aside, and its statement trigger writes one sla_recalc event per row written. The setting alone, from anyone else, changes nothing.';

CREATE FUNCTION tuki.fail(code text, message text, detail text, hint text) RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = code, MESSAGE = message, DETAIL = detail, HINT = hint;
END
$$;
COMMENT ON FUNCTION tuki.fail(text, text, text, text) IS 'Raises a tuki rule violation (SQLSTATE class TK) with a one-line message, DETAIL and HINT; see tuki-schema(7) for the codes.';

CREATE FUNCTION tuki.notify(kind text, ids bigint[]) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    payload text;
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    payload := format('{"v":1,"kind":%s,"ids":[%s]}', to_json(kind), array_to_string(ids, ','));
    IF octet_length(payload) > 7900 THEN
        payload := format('{"v":1,"kind":%s,"ids":null,"more":true}', to_json(kind));
    END IF;
    PERFORM pg_notify('tuki', payload);
END
$$;
COMMENT ON FUNCTION tuki.notify(text, bigint[]) IS 'Sends one NOTIFY on channel tuki: {"v":1,"kind":KIND,"ids":[...]} or, when that would pass 7900 bytes, {"v":1,"kind":KIND,"ids":null,"more":true}. Empty id lists send nothing.';

RESET ROLE;
