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

-- Like 004's version not SECURITY DEFINER and without a SET clause: it runs for every event
-- row, always inside the owner's triggers (clients cannot insert events).
CREATE OR REPLACE FUNCTION tuki.ticket_event_stamp() RETURNS trigger
    LANGUAGE plpgsql
AS $$
DECLARE
    clocked record;
BEGIN
    -- a back-dating administrator gives each ticket of a statement its own time and actor
    -- (tuki.ticket_now's look-up, inline: this runs for every event and needs the actor too)
    IF tuki.replaying() THEN
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

RESET ROLE;
