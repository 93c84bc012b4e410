-- 020: back-dated history for 'tuki seed', for administrators only (superusers and members of
-- tuki_owner). tuki.now() already honours the setting tuki.now for them; this adds who acted
-- (setting tuki.actor) and a per-ticket clock for the history rows that statement-level
-- triggers write, so one set-based statement can replay many tickets' steps at their own times.
-- Nothing here turns a rule off: every trigger still runs and every check still applies.
SET LOCAL ROLE tuki_owner;

CREATE OR REPLACE FUNCTION tuki.actor() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN coalesce(current_setting('tuki.actor', true), '') <> '' AND tuki.actor_is_admin()
                THEN current_setting('tuki.actor', true)
                ELSE session_user::text END
$$;
COMMENT ON FUNCTION tuki.actor() IS 'Who is acting: the login role of the session (session_user), not the owner inside SECURITY DEFINER functions. Administrators (superusers, members of tuki_owner) replaying history may name another actor with the setting tuki.actor; everyone else cannot.';

CREATE OR REPLACE FUNCTION tuki.ticket_event_stamp() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    clocked record;
BEGIN
    -- a back-dating administrator gives each ticket of a statement its own time and actor
    IF current_setting('tuki.clock', true) = 'ticket' AND tuki.actor_is_admin() THEN
        SELECT c.at, c.actor INTO clocked FROM pg_temp.tuki_clock c WHERE c.ticket = NEW.ticket;
        IF FOUND THEN
            NEW.at := clocked.at;
            NEW.actor := clocked.actor;
            RETURN NEW;
        END IF;
    END IF;
    NEW.at := tuki.now();
    NEW.actor := tuki.actor();
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION tuki.ticket_event_stamp() IS 'Trigger: every event gets at = tuki.now() and actor = tuki.actor(), whatever the inserter wrote. Only for administrators with setting tuki.clock = ''ticket'': the time and actor of the event''s ticket in their session''s table pg_temp.tuki_clock (ticket, at, actor), used by tuki seed to replay history.';

-- Speed: these run for every row a trigger touches (tuki.now() a dozen times per ticket change),
-- and as non-inlinable SQL functions they were planned afresh on every call. Same answers:
-- superusers are members of every role, so pg_has_role alone covers "superuser or tuki_owner";
-- the qualified names make a pinned search_path unnecessary, which lets the planner inline them.
CREATE OR REPLACE FUNCTION tuki.actor_is_admin() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT pg_catalog.pg_has_role(session_user, 'tuki_owner', 'MEMBER') $$;
COMMENT ON FUNCTION tuki.actor_is_admin() IS 'True when the session user is a superuser or a member of tuki_owner (the people who migrate the schema); they may move the clock and act with lead rights.';

CREATE OR REPLACE FUNCTION tuki.now() RETURNS timestamptz
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN coalesce(pg_catalog.current_setting('tuki.now', true), '') = '' OR NOT tuki.actor_is_admin()
                THEN pg_catalog.now()
                ELSE pg_catalog.current_setting('tuki.now', true)::timestamptz END
$$;
COMMENT ON FUNCTION tuki.now() IS 'The desk''s clock: now(), or the value of setting tuki.now when it is set and the session user is a superuser or member of tuki_owner (back-dated seeding). Everyone else cannot move it. Every default, trigger and event uses it.';

-- Read once per session and statement plan instead of planned on every call.
CREATE OR REPLACE FUNCTION tuki.sla_warning_percent() RETURNS numeric
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN coalesce((SELECT s.value::numeric FROM tuki.setting s WHERE s.key = 'sla_warning_percent'), 75);
END
$$;

RESET ROLE;
