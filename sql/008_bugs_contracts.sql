-- Confirming bugs with a fix version the customer is told; one contract in force per customer and day.
SET LOCAL ROLE tuki_owner;

CREATE FUNCTION tuki.ticket_confirm_bug(id bigint, fix_version text DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    t tuki.ticket;
    version_given text := nullif(btrim(ticket_confirm_bug.fix_version), '');
BEGIN
    PERFORM tuki.require_staff();
    t := tuki.ticket_lock(ticket_confirm_bug.id);
    IF t.type <> 'bug' THEN
        PERFORM tuki.fail('TK006', format('ticket #%s is a %s, not a bug', t.id, t.type),
            'Only tickets of type bug are confirmed and get a fix version.', 'Check the ticket number.');
    END IF;
    IF t.bug_confirmed AND t.fix_version IS NOT DISTINCT FROM coalesce(version_given, t.fix_version) THEN
        RETURN;
    END IF;
    UPDATE tuki.ticket SET bug_confirmed = true, fix_version = coalesce(version_given, fix_version) WHERE id = t.id;
    INSERT INTO tuki.message (ticket, visibility, body)
    VALUES (t.id, 'public',
            CASE WHEN version_given IS NULL THEN 'The bug is confirmed; a fix is being prepared.'
                 ELSE format('The bug is confirmed and will be fixed in version %s.', version_given) END);
END
$$;
COMMENT ON FUNCTION tuki.ticket_confirm_bug(bigint, text) IS 'Confirms a bug (type bug, TK006 otherwise) and optionally sets the version that fixes it; the customer is told in a public message. Calling it again with a new version updates the version and tells the customer again.';
GRANT EXECUTE ON FUNCTION tuki.ticket_confirm_bug(bigint, text) TO tuki_agent;

CREATE FUNCTION tuki.contract_check_overlap() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    other tuki.contract;
BEGIN
    -- serialise contract changes per customer so two overlapping inserts cannot both pass
    PERFORM 1 FROM tuki.customer c WHERE c.code = NEW.customer FOR UPDATE;
    SELECT * INTO other FROM tuki.contract c
     WHERE c.customer = NEW.customer AND c.id <> NEW.id
       AND daterange(c.valid_from, c.valid_to, '[]') && daterange(NEW.valid_from, NEW.valid_to, '[]')
     LIMIT 1;
    IF FOUND THEN
        PERFORM tuki.fail('TK006', format('contract of %s from %s overlaps contract %s', NEW.customer, NEW.valid_from, other.id),
            format('Contract %s is valid from %s to %s.', other.id, other.valid_from, coalesce(other.valid_to::text, 'further notice')),
            format('End the old one first: UPDATE tuki.contract SET valid_to = %L WHERE id = %s;', NEW.valid_from - 1, other.id));
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION tuki.contract_check_overlap() IS 'Trigger: a customer has at most one contract in force on any day (TK006 naming the overlapping contract).';
CREATE TRIGGER contract_check_overlap BEFORE INSERT OR UPDATE OF customer, valid_from, valid_to ON tuki.contract
    FOR EACH ROW EXECUTE FUNCTION tuki.contract_check_overlap();
COMMENT ON TRIGGER contract_check_overlap ON tuki.contract IS 'One contract in force per customer and day.';

RESET ROLE;
