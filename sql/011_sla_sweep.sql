-- The SLA sweep: consoles call it once a minute and cron may too; each warning and breach
-- is recorded once (tuki.sla_alert's primary key) and announced with NOTIFY.
SET LOCAL ROLE tuki_owner;

CREATE FUNCTION tuki.sla_sweep() RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- one sweep works at a time; the others return at once, the running one covers them
    IF NOT pg_try_advisory_xact_lock(x'74756b69'::bigint * 256 + 1) THEN     -- 'tuki' + 1
        RETURN 0;
    END IF;
    RETURN tuki.sla_record_alerts(NULL);
END
$$;
COMMENT ON FUNCTION tuki.sla_sweep() IS 'Records every SLA warning and breach of active tickets not recorded yet (sla_warning / sla_breach events, one NOTIFY kind sla) and returns how many events it wrote. Idempotent and safe to call concurrently from every console and cron: a sweep that finds another one running returns 0, and tuki.sla_alert records each alert once regardless.';

REVOKE EXECUTE ON FUNCTION tuki.sla_sweep() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tuki.sla_sweep() TO tuki_agent;

RESET ROLE;
