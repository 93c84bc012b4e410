-- 024: the monthly report mailed to the customer. On the first working day of a month (in the
-- calendar of the customer's contract, the day in the customer's own time zone) tuki worker
-- renders last month's report (tuki.monthly_report, as `tuki report` writes it) in each
-- receiving contact's language (tuki.contact.receives_report) and queues it in tuki.outbox, the
-- text in the body and the work lines as a CSV attachment. tuki.report_sent records each month
-- sent, so no month goes twice; `tuki report --send` sends by hand.

-- (agents may call report_claim and report_queue, and hear TK005 from them unless they lead)
-- the worker renders the report as `tuki report` does: it reads what DBAs and reporting read
GRANT tuki_readonly TO tuki_system;

SET LOCAL ROLE tuki_owner;

CREATE TABLE tuki.report_sent (
    customer text NOT NULL REFERENCES tuki.customer (code) ON UPDATE CASCADE,
    month    date NOT NULL CHECK (extract(day FROM month) = 1),
    sent_at  timestamptz NOT NULL DEFAULT tuki.now(),
    sent_by  text NOT NULL DEFAULT session_user,
    PRIMARY KEY (customer, month)
);
COMMENT ON TABLE tuki.report_sent IS 'Months whose report was queued for a customer''s receiving contacts: tuki worker sends a month only when it is not here (tuki.report_due, tuki.report_claim).';
COMMENT ON COLUMN tuki.report_sent.customer IS 'The customer.';
COMMENT ON COLUMN tuki.report_sent.month IS 'First day of the reported month.';
COMMENT ON COLUMN tuki.report_sent.sent_at IS 'When it was queued (the last time, when sent again by hand).';
COMMENT ON COLUMN tuki.report_sent.sent_by IS 'Login that queued it: the worker''s, or a lead''s (tuki report --send).';

CREATE FUNCTION tuki.report_first_working_day(calendar text, month date) RETURNS date
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT min(d::date)
      FROM generate_series(report_first_working_day.month::timestamp,
                           report_first_working_day.month::timestamp + interval '1 month - 1 day', interval '1 day') d
     WHERE EXISTS (SELECT 1 FROM tuki.calendar_hours h
                    WHERE h.calendar = report_first_working_day.calendar AND h.isodow = extract(isodow FROM d))
       AND NOT EXISTS (SELECT 1 FROM tuki.holiday x
                        WHERE x.calendar = report_first_working_day.calendar AND x.day = d::date)
$$;
COMMENT ON FUNCTION tuki.report_first_working_day(text, date) IS 'The first day of the month that the calendar has open hours on and that is no holiday of it (the 1st for 24x7).';

-- Which customers' last month is due today: a contract was in force in it, someone receives it,
-- it was not sent yet, and today (the customer's local date, or the day given, for tests) is on
-- or after this month's first working day in the calendar of the contract of that month.
CREATE FUNCTION tuki.report_due(today date DEFAULT NULL) RETURNS TABLE (customer text, month date)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    PERFORM tuki.require_system();
    RETURN QUERY
    SELECT c.code, m.month
      FROM tuki.customer c
     CROSS JOIN LATERAL (SELECT coalesce(report_due.today,
                                         (tuki.now() AT TIME ZONE coalesce(c.time_zone, k.tz))::date) AS day
                           FROM tuki.contract ct JOIN tuki.calendar k ON k.code = ct.calendar
                          WHERE ct.customer = c.code ORDER BY ct.valid_from DESC LIMIT 1) l
      JOIN tuki.report_months(c.code) m ON m.month = (date_trunc('month', l.day) - interval '1 month')::date
      JOIN tuki.contract ct ON ct.id = m.contract
     WHERE EXISTS (SELECT 1 FROM tuki.contact r
                    WHERE r.customer = c.code AND r.receives_report AND r.active AND r.email IS NOT NULL)
       AND NOT EXISTS (SELECT 1 FROM tuki.report_sent s WHERE s.customer = c.code AND s.month = m.month)
       AND l.day >= tuki.report_first_working_day(ct.calendar, date_trunc('month', l.day)::date)
     ORDER BY c.code;
END
$$;
COMMENT ON FUNCTION tuki.report_due(date) IS 'tuki worker: customers whose last month''s report is due: it exists (a contract was in force), a contact receives it, it was not sent (tuki.report_sent), and today is on or after this month''s first working day in that month''s contract''s calendar (tuki.report_first_working_day). today: the customer''s local date unless given (tests fake it). For tuki_system.';

CREATE FUNCTION tuki.report_require_sender() RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT (tuki.actor_is_system() OR tuki.actor_is_admin() OR tuki.actor_is_lead()) THEN
        PERFORM tuki.fail('TK005', format('%s may not send monthly reports', session_user),
            'Monthly reports are mailed by tuki worker or by a lead.', 'Ask a lead, or let tuki worker send it.');
    END IF;
END
$$;
COMMENT ON FUNCTION tuki.report_require_sender() IS 'TK005 unless the session is the desk (tuki_system), an administrator or a lead.';

CREATE FUNCTION tuki.report_claim(customer text, month date, again boolean DEFAULT false) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    PERFORM tuki.report_require_sender();
    IF NOT EXISTS (SELECT 1 FROM tuki.customer c WHERE c.code = report_claim.customer) THEN
        PERFORM tuki.fail('TK006', format('no customer %s', report_claim.customer), 'Reports are sent per customer code.',
            'See SELECT code, name FROM tuki.customer;');
    END IF;
    -- a second worker waits here on the key until the first commits, then finds the month sent
    INSERT INTO tuki.report_sent AS s (customer, month) VALUES (report_claim.customer, report_claim.month)
    ON CONFLICT (customer, month) DO UPDATE SET sent_at = tuki.now(), sent_by = session_user WHERE report_claim.again;
    RETURN FOUND;
END
$$;
COMMENT ON FUNCTION tuki.report_claim(text, date, boolean) IS 'Records that a customer''s month is being sent, in the transaction that queues it; false when it was sent already (then send nothing), unless again (a lead sending by hand). TK005 for others than the desk and leads, TK006 for an unknown customer.';

CREATE FUNCTION tuki.report_recipients(customer text)
    RETURNS TABLE (contact bigint, email text, name text, language text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT r.id, r.email, r.name,
           coalesce(r.language, c.language, (SELECT s.value FROM tuki.mail_setting s WHERE s.name = 'language'), 'en')
      FROM tuki.contact r JOIN tuki.customer c ON c.code = r.customer
     WHERE r.customer = report_recipients.customer AND r.receives_report AND r.active AND r.email IS NOT NULL
     ORDER BY r.id
$$;
COMMENT ON FUNCTION tuki.report_recipients(text) IS 'The contacts of a customer who receive its monthly report, each with the language of their mail (the contact''s, else the customer''s, else the desk''s).';

CREATE FUNCTION tuki.report_queue(customer text, month date, language text, report text, csv bytea) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    n integer;
BEGIN
    PERFORM tuki.report_require_sender();
    IF NOT EXISTS (SELECT 1 FROM tuki.customer c WHERE c.code = report_queue.customer) THEN
        PERFORM tuki.fail('TK006', format('no customer %s', report_queue.customer), 'Reports are sent per customer code.',
            'See SELECT code, name FROM tuki.customer;');
    END IF;
    IF report_queue.language IS NULL OR report_queue.language NOT IN ('fi', 'sk', 'en') THEN
        PERFORM tuki.fail('TK006', format('unknown mail language %s', coalesce(report_queue.language, 'NULL')),
            'Reports are mailed in fi, sk or en.', 'Give fi, sk or en.');
    END IF;
    INSERT INTO tuki.outbox (kind, recipient, recipient_name, subject, body, language,
                             attachment_name, attachment_type, attachment)
    SELECT 'report', r.email, r.name,
           replace(replace(t.subject, '{month}', to_char(report_queue.month, 'YYYY-MM')), '{customer}', c.name),
           replace(replace(replace(replace(t.body, '{month}', to_char(report_queue.month, 'YYYY-MM')), '{customer}', c.name),
                           '{name}', r.name), '{body}', report_queue.report),
           r.language,
           format('tuki-%s-%s.csv', c.code, to_char(report_queue.month, 'YYYY-MM')), 'text/csv; charset=utf-8', report_queue.csv
      FROM tuki.report_recipients(report_queue.customer) r
      JOIN tuki.customer c ON c.code = report_queue.customer
      JOIN tuki.mail_template t ON t.kind = 'report' AND t.language = r.language
     WHERE r.language = report_queue.language;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n > 0 THEN
        PERFORM pg_notify('tuki_outbox', '');
    END IF;
    RETURN n;
END
$$;
COMMENT ON FUNCTION tuki.report_queue(text, date, text, text, bytea) IS 'Queues a customer''s monthly report to its receiving contacts of one language (template report: {body} the text report), with the CSV attached as tuki-CODE-YYYY-MM.csv; returns how many mails. NOTIFY tuki_outbox wakes the worker. For the desk and leads (TK005); TK006 for an unknown customer or language.';

REVOKE ALL ON FUNCTION tuki.report_first_working_day(text, date), tuki.report_due(date), tuki.report_require_sender(),
    tuki.report_claim(text, date, boolean), tuki.report_recipients(text), tuki.report_queue(text, date, text, text, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tuki.report_first_working_day(text, date), tuki.report_recipients(text)
    TO tuki_agent, tuki_readonly, tuki_system;
GRANT EXECUTE ON FUNCTION tuki.report_due(date) TO tuki_system;
GRANT EXECUTE ON FUNCTION tuki.report_claim(text, date, boolean), tuki.report_queue(text, date, text, text, bytea)
    TO tuki_agent, tuki_system;
