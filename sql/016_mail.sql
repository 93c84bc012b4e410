-- 016: the customer's voice. Whose words are whose (message authors), mail in (tuki mail-in:
-- tuki.mail_receive, held mail for leads, attachments) and mail out (tuki.outbox written by
-- triggers in the same transaction as the change, from templates in fi/sk/en; tuki worker
-- sends it). Additive only: new columns, tables, functions and triggers; nothing earlier is
-- redefined.
--
-- The desk itself (mail intake, the worker, the sweep) acts as 'system': a login role that is a
-- direct member of tuki_system, e.g. CREATE ROLE tuki_mail LOGIN IN ROLE tuki_system.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tuki_system') THEN
        CREATE ROLE tuki_system NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_auth_members m
                    WHERE m.roleid = 'tuki_system'::regrole AND m.member = 'tuki_owner'::regrole AND m.admin_option) THEN
        GRANT tuki_system TO tuki_owner WITH ADMIN OPTION;
    END IF;
END
$$;
COMMENT ON ROLE tuki_system IS 'tuki: the desk itself (tuki mail-in, tuki worker); its direct members act as ''system'' in the history. Reads the desk, writes only through the mail functions.';

SET LOCAL ROLE tuki_owner;

-- Direct membership only: superusers are members of every role and are people, not the desk.
-- PL/pgSQL, not SQL: a SQL function with SET is never inlined and is planned again at every
-- call (85 us, five times per mailed-in message); PL/pgSQL keeps its plan.
CREATE FUNCTION tuki.actor_is_system() RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member
                    WHERE m.roleid = 'tuki_system'::regrole AND r.rolname = session_user);
END
$$;
COMMENT ON FUNCTION tuki.actor_is_system() IS 'True when the session user is a direct member of tuki_system (tuki mail-in, tuki worker): the desk acting on its own, recorded as actor ''system''.';

CREATE FUNCTION tuki.require_system() RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT (tuki.actor_is_system() OR tuki.actor_is_admin()) THEN
        PERFORM tuki.fail('TK005', format('%s is not the desk''s mail role', session_user),
            'Mail intake and delivery are done by a login role that is a member of tuki_system.',
            'CREATE ROLE tuki_mail LOGIN IN ROLE tuki_system; and run tuki mail-in / tuki worker as it (tuki-mail(7)).');
    END IF;
END
$$;
COMMENT ON FUNCTION tuki.require_system() IS 'TK005 unless the session user is a direct member of tuki_system or an administrator.';

-- Languages of customer mail.
ALTER TABLE tuki.customer ADD COLUMN language text CHECK (language IN ('fi', 'sk', 'en'));
ALTER TABLE tuki.contact ADD COLUMN language text CHECK (language IN ('fi', 'sk', 'en'));
COMMENT ON COLUMN tuki.customer.language IS 'Language of mail to this customer (fi, sk, en) when the contact has none; null: the desk''s (tuki.mail_setting language).';
COMMENT ON COLUMN tuki.contact.language IS 'Language of mail to this contact (fi, sk, en); null: the customer''s, else the desk''s.';

-- Whose words are whose.
ALTER TABLE tuki.message
    ADD COLUMN author_kind text NOT NULL DEFAULT 'agent' CHECK (author_kind IN ('agent', 'contact', 'system')),
    ADD COLUMN recorded_by text,
    ADD COLUMN message_id text UNIQUE,
    ADD COLUMN in_reply_to text;
COMMENT ON COLUMN tuki.message.author_kind IS 'Who wrote it: agent (author is the login), contact (the customer''s words; contact names the person when known) or system (the desk itself, author ''system''). Set by trigger message_set_author.';
COMMENT ON COLUMN tuki.message.recorded_by IS 'For a contact''s words: the agent who typed them in (a phone call, a forwarded mail); null when they came in by mail or the portal themselves.';
COMMENT ON COLUMN tuki.message.message_id IS 'RFC 5322 Message-ID (without angle brackets) of the mail it came in as; unique, so a mail delivered twice is stored once.';
COMMENT ON COLUMN tuki.message.in_reply_to IS 'In-Reply-To of the mail it came in as (without angle brackets), as the sender''s client wrote it.';
CREATE INDEX message_in_reply_to ON tuki.message (in_reply_to) WHERE in_reply_to IS NOT NULL;
COMMENT ON INDEX tuki.message_in_reply_to IS 'Threading look-ups by the id a customer''s mail answered.';

-- Existing customer messages become their contact's words, typed in by the login that stored them.
-- The refusal trigger fires ALWAYS (014): a plain ENABLE TRIGGER would set it back to firing
-- in origin mode only, and session_replication_role = replica could edit messages again.
ALTER TABLE tuki.message DISABLE TRIGGER message_before_change;
UPDATE tuki.message SET author_kind = 'contact', recorded_by = author WHERE from_customer;
ALTER TABLE tuki.message ENABLE ALWAYS TRIGGER message_before_change;
ALTER TABLE tuki.message ADD CONSTRAINT message_author_kind_customer CHECK ((author_kind = 'contact') = from_customer);
COMMENT ON CONSTRAINT message_author_kind_customer ON tuki.message IS 'The customer''s words (from_customer) and only they are a contact''s.';

-- Runs after message_before_insert (BEFORE triggers fire in name order), which stamps author.
-- Agents' own messages keep the column default (agent) and make no call: the WHEN uses
-- built-ins only.
CREATE FUNCTION tuki.message_author() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    by_system boolean := tuki.actor_is_system();
BEGIN
    IF NEW.from_customer THEN
        NEW.author_kind := 'contact';
        -- nobody typed in what the desk received itself (an administrator writing the past may
        -- act as 'system', tuki.actor), nor did a contact's own login (the portal, sql/022)
        -- type in someone else's words
        NEW.recorded_by := CASE WHEN by_system OR NEW.author = 'system'
                                     OR EXISTS (SELECT 1 FROM tuki.contact c WHERE c.id = NEW.contact AND c.login = NEW.author)
                                THEN NULL ELSE NEW.author END;
    ELSE
        NEW.author_kind := CASE WHEN by_system THEN 'system' ELSE 'agent' END;
        NEW.recorded_by := NULL;
    END IF;
    IF by_system THEN
        NEW.author := 'system';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION tuki.message_author() IS 'Trigger: sets author_kind (contact for the customer''s words, system when the desk writes, else agent), recorded_by (the agent who typed a contact''s words) and author ''system'' for the desk.';
CREATE TRIGGER message_set_author BEFORE INSERT ON tuki.message
    FOR EACH ROW WHEN (NEW.from_customer OR NEW.author_kind <> 'agent'
                       OR coalesce(pg_catalog.current_setting('tuki.system', true), '') = 'on')
    EXECUTE FUNCTION tuki.message_author();
COMMENT ON TRIGGER message_set_author ON tuki.message IS 'Whose words: author_kind, recorded_by, and ''system'' for the desk.';

-- Desk-made events: the sweep's alerts always, and everything a tuki_system member does.
-- The WHEN uses built-ins only, so an SLA rewrite's events make no extra PL/pgSQL call.
CREATE FUNCTION tuki.ticket_event_system_actor() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NEW.kind IN ('sla_warning', 'sla_breach') OR tuki.actor_is_system() THEN
        NEW.actor := 'system';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION tuki.ticket_event_system_actor() IS 'Trigger: events of the SLA sweep (sla_warning, sla_breach) and of the desk''s own login roles (tuki_system) get the actor ''system'', never a person.';
-- fires after ticket_event_stamp ('ticket_event_sy…' sorts after 'ticket_event_st…')
CREATE TRIGGER ticket_event_system_actor BEFORE INSERT ON tuki.ticket_event
    FOR EACH ROW WHEN (NEW.kind IN ('sla_warning', 'sla_breach')
                       OR coalesce(pg_catalog.current_setting('tuki.system', true), '') = 'on')
    EXECUTE FUNCTION tuki.ticket_event_system_actor();
COMMENT ON TRIGGER ticket_event_system_actor ON tuki.ticket_event IS 'Actor ''system'' for sweep alerts and for the desk''s own sessions (which set tuki.system = on; the function checks the role, the setting alone changes nothing).';

-- Settings of customer mail that an administrator changes without rebuilding.
CREATE TABLE tuki.mail_setting (
    name  text PRIMARY KEY CHECK (name IN ('language', 'attachment_cap_bytes', 'reopen_days')),
    value text NOT NULL
);
COMMENT ON TABLE tuki.mail_setting IS 'The desk''s mail settings kept in the database: language (fi, sk, en: of mail when neither contact nor customer has one), attachment_cap_bytes (per message; larger attachments are replaced by a note) and reopen_days (a customer''s mail on a ticket resolved at most this many days ago reopens it; later it opens a new ticket that refers to the old one).';
COMMENT ON COLUMN tuki.mail_setting.name IS 'language, attachment_cap_bytes or reopen_days.';
COMMENT ON COLUMN tuki.mail_setting.value IS 'Its value, as text.';
INSERT INTO tuki.mail_setting (name, value) VALUES ('language', 'fi'), ('attachment_cap_bytes', '26214400'), ('reopen_days', '14');

CREATE TABLE tuki.mail_template (
    kind     text NOT NULL CHECK (kind IN ('reply', 'received', 'waiting', 'resolved', 'closed', 'failed_note',
                                       'bug_confirmed', 'bug_fix_version', 'bug_fix_release', 'merged',
                                       'followup_note', 'report', 'held_answer')),
    language text NOT NULL CHECK (language IN ('fi', 'sk', 'en')),
    subject  text NOT NULL,
    body     text NOT NULL,
    PRIMARY KEY (kind, language)
);
COMMENT ON TABLE tuki.mail_template IS 'Texts of customer mail, per kind and language; placeholders {ticket} {subject} {body} {resolution} {name} {fix_version} {fix_release} are filled by tuki.mail_render, a report''s {customer} and {month} where it is queued. Change with UPDATE, no rebuild. The tag [tuki #N] is added to the subject by the worker.';
COMMENT ON COLUMN tuki.mail_template.kind IS 'reply (an agent''s public message, its text in {body}), received (new ticket), waiting (waiting for the customer''s answer), resolved (with {resolution}), closed, failed_note (the internal note when mail could not be delivered); bug_confirmed, bug_fix_version and bug_fix_release (the text of the public message tuki.ticket_confirm_bug writes, which a reply mail then carries: without a version, with {fix_version}, with {fix_version} and {fix_release}); merged (the resolution of a duplicate, tuki.ticket_merge: {body} names the ticket it was merged into); followup_note (the internal note on a new ticket opened by mail about a ticket closed or resolved before the reopen window; {body} is the old ticket''s number), report (the monthly report: {name} the contact, {customer} the customer''s name, {month} YYYY-MM, {body} the text report), held_answer (a lead''s answer to held mail from someone who is no named contact: {name} the sender, {subject} its subject).';
COMMENT ON COLUMN tuki.mail_template.language IS 'fi, sk or en.';
COMMENT ON COLUMN tuki.mail_template.subject IS 'Subject, without the [tuki #N] tag.';
COMMENT ON COLUMN tuki.mail_template.body IS 'Body text.';
INSERT INTO tuki.mail_template (kind, language, subject, body) VALUES
    ('reply', 'fi', 'Re: {subject}', E'{body}\n\n-- \nTuki'),
    ('reply', 'sk', 'Re: {subject}', E'{body}\n\n-- \nPodpora'),
    ('reply', 'en', 'Re: {subject}', E'{body}\n\n-- \nSupport'),
    ('received', 'fi', 'Vastaanotettu: {subject}',
     E'Hei {name},\n\nolemme vastaanottaneet tukipyyntönne, ja sen numero on #{ticket}. Vastaamalla tähän viestiin voitte lisätä tietoja samaan pyyntöön.\n\n-- \nTuki'),
    ('received', 'sk', 'Prijaté: {subject}',
     E'Dobrý deň, {name},\n\nVašu požiadavku sme prijali pod číslom #{ticket}. Odpoveďou na túto správu doplníte informácie k tej istej požiadavke.\n\n-- \nPodpora'),
    ('received', 'en', 'Received: {subject}',
     E'Hello {name},\n\nwe have received your request; its number is #{ticket}. Reply to this mail to add to the same request.\n\n-- \nSupport'),
    ('waiting', 'fi', 'Odotamme vastaustanne: {subject}',
     E'Hei {name},\n\ntarvitsemme teiltä lisätietoja tukipyyntöön #{ticket}. Vastaattehan tähän viestiin.\n\n-- \nTuki'),
    ('waiting', 'sk', 'Čakáme na Vašu odpoveď: {subject}',
     E'Dobrý deň, {name},\n\npotrebujeme od Vás ďalšie informácie k požiadavke #{ticket}. Prosíme, odpovedzte na túto správu.\n\n-- \nPodpora'),
    ('waiting', 'en', 'Waiting for your answer: {subject}',
     E'Hello {name},\n\nwe need more information from you on request #{ticket}. Please reply to this mail.\n\n-- \nSupport'),
    ('resolved', 'fi', 'Ratkaistu: {subject}',
     E'Hei {name},\n\ntukipyyntönne #{ticket} on ratkaistu:\n\n{resolution}\n\nJos asia ei ratkennut, vastatkaa tähän viestiin, niin jatkamme sen käsittelyä.\n\n-- \nTuki'),
    ('resolved', 'sk', 'Vyriešená požiadavka: {subject}',
     E'Dobrý deň, {name},\n\npožiadavka #{ticket} je vyriešená:\n\n{resolution}\n\nAk problém pretrváva, odpovedzte na túto správu a budeme pokračovať v riešení.\n\n-- \nPodpora'),
    ('resolved', 'en', 'Resolved: {subject}',
     E'Hello {name},\n\nrequest #{ticket} is resolved:\n\n{resolution}\n\nIf it is not, reply to this mail.\n\n-- \nSupport'),
    ('closed', 'fi', 'Suljettu: {subject}', E'Hei {name},\n\ntukipyyntönne #{ticket} on suljettu.\n\n-- \nTuki'),
    ('closed', 'sk', 'Uzavretá požiadavka: {subject}', E'Dobrý deň, {name},\n\npožiadavka #{ticket} je uzavretá.\n\n-- \nPodpora'),
    ('closed', 'en', 'Closed: {subject}', E'Hello {name},\n\nrequest #{ticket} is closed.\n\n-- \nSupport'),
    ('failed_note', 'fi', 'Sähköposti ei mennyt perille', E'Sähköposti vastaanottajalle {name} ei mennyt perille: {body}'),
    ('failed_note', 'sk', 'E-mail nebol doručený', E'E-mail pre {name} nebol doručený: {body}'),
    ('failed_note', 'en', 'Mail not delivered', E'Mail to {name} could not be delivered: {body}'),
    ('bug_confirmed', 'fi', 'Vika vahvistettu: {subject}', 'Vika on vahvistettu; korjausta valmistellaan.'),
    ('bug_confirmed', 'sk', 'Chyba potvrdená: {subject}', 'Chyba je potvrdená; pripravujeme opravu.'),
    ('bug_confirmed', 'en', 'Bug confirmed: {subject}', 'The bug is confirmed; a fix is being prepared.'),
    ('bug_fix_version', 'fi', 'Vika vahvistettu: {subject}', 'Vika on vahvistettu ja korjataan versiossa {fix_version}.'),
    ('bug_fix_version', 'sk', 'Chyba potvrdená: {subject}', 'Chyba je potvrdená a bude opravená vo verzii {fix_version}.'),
    ('bug_fix_version', 'en', 'Bug confirmed: {subject}', 'The bug is confirmed and will be fixed in version {fix_version}.'),
    ('bug_fix_release', 'fi', 'Vika vahvistettu: {subject}',
     'Vika on vahvistettu ja korjataan versiossa {fix_version}, jonka julkaisu on arviolta {fix_release}.'),
    ('bug_fix_release', 'sk', 'Chyba potvrdená: {subject}',
     'Chyba je potvrdená a bude opravená vo verzii {fix_version}, ktorej vydanie očakávame {fix_release}.'),
    ('bug_fix_release', 'en', 'Bug confirmed: {subject}',
     'The bug is confirmed and will be fixed in version {fix_version}, expected to be released on {fix_release}.'),
    ('merged', 'fi', 'Yhdistetty: {subject}', 'Pyyntö on yhdistetty pyyntöön {body}, jossa asian käsittely jatkuu.'),
    ('merged', 'sk', 'Zlúčené: {subject}', 'Požiadavka bola zlúčená s požiadavkou {body}, kde riešenie pokračuje.'),
    ('merged', 'en', 'Merged: {subject}', 'This request was merged into request {body}, where the work continues.'),
    ('followup_note', 'fi', 'Jatkoa pyynnölle', E'Jatkoa pyynnölle #{body}: asiakkaan viesti tuli, kun pyyntö oli jo suljettu tai ratkaistu yli uudelleenavaamisen ajan sitten.'),
    ('followup_note', 'sk', 'Pokračovanie požiadavky', E'Pokračovanie požiadavky #{body}: správa zákazníka prišla, keď bola požiadavka už uzavretá alebo vyriešená dlhšie, ako dovoľuje lehota na opätovné otvorenie.'),
    ('report', 'fi', 'Kuukausiraportti {month}: {customer}',
     E'Hei {name},\n\nohessa {customer}:n tukipalvelun kuukausiraportti ajalta {month}. Työrivit ovat liitteenä CSV-tiedostona.\n\n{body}\n-- \nTuki'),
    ('report', 'sk', 'Mesačný výkaz {month}: {customer}',
     E'Dobrý deň, {name},\n\nposielame mesačný výkaz podpory pre {customer} za obdobie {month}. Pracovné riadky sú v prílohe ako súbor CSV.\n\n{body}\n-- \nPodpora'),
    ('report', 'en', 'Monthly report {month}: {customer}',
     E'Hello {name},\n\nhere is the monthly support report of {customer} for {month}. The work lines are attached as a CSV file.\n\n{body}\n-- \nSupport'),
    ('held_answer', 'fi', 'Re: {subject}',
     E'Hei {name},\n\nkiitos viestistänne. Palvelemme asiakkaitamme toisen tason tukena: pyynnöt käsitellään organisaationne nimettyjen yhteyshenkilöiden kautta. Pyytäkää organisaationne yhteyshenkilöä ottamaan meihin yhteyttä.\n\n-- \nTuki'),
    ('held_answer', 'sk', 'Re: {subject}',
     E'Dobrý deň, {name},\n\nďakujeme za vašu správu. Podporu poskytujeme ako druhá úroveň: požiadavky vybavujeme cez menovaných kontaktných pracovníkov vašej organizácie. Požiadajte, prosím, kontaktnú osobu vašej organizácie, aby sa na nás obrátila.\n\n-- \nPodpora'),
    ('held_answer', 'en', 'Re: {subject}',
     E'Hello {name},\n\nthank you for your mail. We work as second-line support: requests come to us through your organisation''s named contacts. Please ask your organisation''s named contact to get in touch with us.\n\n-- \nSupport'),
    ('followup_note', 'en', 'Follow-up', E'Follow-up of #{body}: the customer wrote after the request was closed, or resolved longer ago than the reopen window.');

CREATE FUNCTION tuki.mail_language(ticket bigint) RETURNS text
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(c.language, cu.language, (SELECT s.value FROM tuki.mail_setting s WHERE s.name = 'language'), 'en')
      FROM tuki.ticket t JOIN tuki.customer cu ON cu.code = t.customer
      LEFT JOIN tuki.contact c ON c.id = t.contact
     WHERE t.id = mail_language.ticket
$$;
COMMENT ON FUNCTION tuki.mail_language(bigint) IS 'Language of mail about a ticket: its contact''s, else its customer''s, else the desk''s (tuki.mail_setting), else en.';

CREATE FUNCTION tuki.mail_render(kind text, ticket bigint, body text DEFAULT NULL, OUT subject text, OUT text text)
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT replace(replace(m.subject, '{subject}', t.subject), '{ticket}', t.id::text),
           replace(replace(replace(replace(replace(replace(replace(m.body, '{ticket}', t.id::text), '{subject}', t.subject),
                                   '{name}', coalesce(c.name, '')), '{resolution}', coalesce(t.resolution, '')),
                                   '{fix_version}', coalesce(t.fix_version, '')),
                           -- a date as each language writes it
                           '{fix_release}', coalesce(CASE m.language WHEN 'fi' THEN to_char(t.fix_release, 'FMDD.FMMM.YYYY')
                                                                     WHEN 'sk' THEN to_char(t.fix_release, 'FMDD. FMMM. YYYY')
                                                                     ELSE to_char(t.fix_release, 'YYYY-MM-DD') END, '')),
                   '{body}', coalesce(mail_render.body, ''))
      FROM tuki.ticket t LEFT JOIN tuki.contact c ON c.id = t.contact
      JOIN tuki.mail_template m ON m.kind = mail_render.kind AND m.language = tuki.mail_language(t.id)
     WHERE t.id = mail_render.ticket
$$;
COMMENT ON FUNCTION tuki.mail_render(text, bigint, text) IS 'Subject and text of a mail of a kind about a ticket, from tuki.mail_template in the ticket''s mail language (tuki.mail_language); body fills {body}, the ticket {fix_version} and {fix_release} (a date as the language writes it: 31.12.2026, 31. 12. 2026, 2026-12-31).';

-- Mail out.
CREATE TABLE tuki.outbox (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket        bigint REFERENCES tuki.ticket (id),
    message       bigint REFERENCES tuki.message (id),
    kind          text NOT NULL CHECK (kind IN ('reply', 'received', 'waiting', 'resolved', 'closed', 'report', 'held_answer')),
    recipient     text NOT NULL,
    recipient_name text,
    subject       text NOT NULL,
    body          text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT tuki.now(),
    status        text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts      integer NOT NULL DEFAULT 0,
    next_attempt  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    last_error    text,
    message_id    text UNIQUE,
    raw           bytea,
    sent_at       timestamptz,
    language      text CHECK (language IN ('fi', 'sk', 'en')),
    attachment_name text,
    attachment_type text,
    attachment    bytea,
    answers       text,
    CHECK ((attachment IS NULL) = (attachment_name IS NULL)),
    CHECK (ticket IS NOT NULL OR kind IN ('report', 'held_answer'))
);
CREATE INDEX outbox_due ON tuki.outbox (next_attempt, id) WHERE status = 'queued';
CREATE INDEX outbox_ticket ON tuki.outbox (ticket);
COMMENT ON TABLE tuki.outbox IS 'Mail to customers, written by triggers in the same transaction as the change it tells about (so a rolled-back change sends nothing); tuki worker composes, sends and marks each row.';
COMMENT ON COLUMN tuki.outbox.id IS 'Row number.';
COMMENT ON COLUMN tuki.outbox.ticket IS 'The ticket it is about; null only for a monthly report (kind report) and a lead''s answer to held mail (held_answer).';
COMMENT ON COLUMN tuki.outbox.message IS 'The public message it carries (kind reply), else null.';
COMMENT ON COLUMN tuki.outbox.kind IS 'reply, received, waiting, resolved, closed, report or held_answer (tuki.mail_template).';
COMMENT ON COLUMN tuki.outbox.recipient IS 'To: the ticket''s contact''s address when it was written.';
COMMENT ON COLUMN tuki.outbox.recipient_name IS 'The contact''s name, for the To header.';
COMMENT ON COLUMN tuki.outbox.subject IS 'Subject from the template, without the [tuki #N] tag the worker adds.';
COMMENT ON COLUMN tuki.outbox.body IS 'Text from the template, UTF-8.';
COMMENT ON COLUMN tuki.outbox.created_at IS 'When the change happened.';
COMMENT ON COLUMN tuki.outbox.status IS 'queued (to be sent), sent, or failed (permanently; last_error says why).';
COMMENT ON COLUMN tuki.outbox.attempts IS 'Delivery attempts so far.';
COMMENT ON COLUMN tuki.outbox.next_attempt IS 'Not sent before this (exponential backoff after a temporary failure).';
COMMENT ON COLUMN tuki.outbox.last_error IS 'Why the last attempt failed, or the bounce''s reason.';
COMMENT ON COLUMN tuki.outbox.message_id IS 'Message-ID of the composed mail (without angle brackets); set by the worker; bounces and customer replies are matched by it.';
COMMENT ON COLUMN tuki.outbox.raw IS 'The composed RFC 5322 message as handed to sendmail.';
COMMENT ON COLUMN tuki.outbox.sent_at IS 'When sendmail accepted it.';
COMMENT ON COLUMN tuki.outbox.language IS 'Language of the text (its Content-Language header), when known.';
COMMENT ON COLUMN tuki.outbox.attachment_name IS 'File name of the one file sent with it (the monthly report''s CSV), or null.';
COMMENT ON COLUMN tuki.outbox.attachment_type IS 'Its MIME type, e.g. text/csv; charset=utf-8.';
COMMENT ON COLUMN tuki.outbox.attachment IS 'Its bytes.';
COMMENT ON COLUMN tuki.outbox.answers IS 'For mail about no ticket: the Message-ID it answers (In-Reply-To), e.g. of held mail.';

-- The one way a row gets into the outbox: the ticket's contact must have an address. A loaded
-- history (tuki.history_load, tuki seed) fires no trigger and so sends nothing.
CREATE FUNCTION tuki.outbox_queue(kind text, tickets bigint[], messages bigint[] DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n integer;
BEGIN
    IF tuki.sla_bulk_mode() THEN
        RETURN;
    END IF;
    INSERT INTO tuki.outbox (ticket, message, kind, recipient, recipient_name, subject, body)
    SELECT t.id, x.message, outbox_queue.kind, c.email, c.name, r.subject, r.text
      FROM unnest(outbox_queue.tickets, outbox_queue.messages) AS x(ticket, message)
      JOIN tuki.ticket t ON t.id = x.ticket
      JOIN tuki.contact c ON c.id = t.contact AND c.email IS NOT NULL AND c.active
      LEFT JOIN tuki.message m ON m.id = x.message
      CROSS JOIN LATERAL tuki.mail_render(outbox_queue.kind, t.id, m.body) r;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n > 0 THEN
        PERFORM pg_notify('tuki_outbox', '');
    END IF;
END
$$;
COMMENT ON FUNCTION tuki.outbox_queue(text, bigint[], bigint[]) IS 'Queues mail of a kind for tickets (and, for replies, their messages) to each ticket''s active contact with an address, rendered from tuki.mail_template; NOTIFY tuki_outbox wakes the worker. Nothing while tuki.sla_recompute rewrites SLA values in bulk.';

CREATE FUNCTION tuki.outbox_after_message() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tickets bigint[];
    messages bigint[];
BEGIN
    SELECT array_agg(n.ticket ORDER BY n.id), array_agg(n.id ORDER BY n.id) INTO tickets, messages
      FROM new_rows n WHERE n.visibility = 'public' AND NOT n.from_customer;
    IF tickets IS NOT NULL THEN
        PERFORM tuki.outbox_queue('reply', tickets, messages);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION tuki.outbox_after_message() IS 'Statement trigger: every public message of an agent or of the desk (a reply, a bug''s confirmation) is mailed to the ticket''s contact.';
CREATE TRIGGER outbox_after_message AFTER INSERT ON tuki.message
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tuki.outbox_after_message();
COMMENT ON TRIGGER outbox_after_message ON tuki.message IS 'Public replies go to the outbox in the same transaction.';

CREATE FUNCTION tuki.outbox_after_ticket_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tickets bigint[];
BEGIN
    SELECT array_agg(n.id ORDER BY n.id) INTO tickets FROM new_rows n WHERE n.contact IS NOT NULL;
    IF tickets IS NOT NULL THEN
        PERFORM tuki.outbox_queue('received', tickets);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION tuki.outbox_after_ticket_insert() IS 'Statement trigger: a new ticket with a contact sends "received" with its number.';
CREATE TRIGGER outbox_after_ticket_insert AFTER INSERT ON tuki.ticket
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tuki.outbox_after_ticket_insert();
COMMENT ON TRIGGER outbox_after_ticket_insert ON tuki.ticket IS 'Tells the contact a ticket was received.';

-- A row trigger with a column list and WHEN: SLA rewrites and other updates that leave the
-- status alone queue nothing and cost nothing.
CREATE FUNCTION tuki.outbox_after_status() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM tuki.outbox_queue(CASE NEW.status WHEN 'waiting_customer' THEN 'waiting' ELSE NEW.status END,
                              ARRAY[NEW.id]);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION tuki.outbox_after_status() IS 'Trigger: waiting_customer, resolved (with the resolution note) and closed are told to the contact.';
CREATE TRIGGER outbox_after_status AFTER UPDATE OF status ON tuki.ticket
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
                       AND NEW.status IN ('waiting_customer', 'resolved', 'closed') AND NEW.contact IS NOT NULL)
    EXECUTE FUNCTION tuki.outbox_after_status();
COMMENT ON TRIGGER outbox_after_status ON tuki.ticket IS 'Status changes the customer should hear about go to the outbox.';

-- Attachments and held mail.
CREATE TABLE tuki.mail_hold (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT tuki.now(),
    raw         bytea NOT NULL,
    sender      text,
    sender_name text,
    subject     text NOT NULL DEFAULT '',
    body        text NOT NULL DEFAULT '',
    message_id  text UNIQUE,
    in_reply_to text,
    reason      text NOT NULL,
    answered_at timestamptz,
    answered_by text
);
COMMENT ON TABLE tuki.mail_hold IS 'Mail the desk keeps for a lead instead of turning it into work or answering it: unknown senders, automatic and bulk mail, input that is no message. Leads attach it to a customer (tuki.mail_hold_attach) or discard it (tuki.mail_hold_discard).';
COMMENT ON COLUMN tuki.mail_hold.id IS 'Number of the held mail.';
COMMENT ON COLUMN tuki.mail_hold.at IS 'When it arrived.';
COMMENT ON COLUMN tuki.mail_hold.raw IS 'The message exactly as delivered.';
COMMENT ON COLUMN tuki.mail_hold.sender IS 'From address (lower case), null when none could be read.';
COMMENT ON COLUMN tuki.mail_hold.sender_name IS 'From display name.';
COMMENT ON COLUMN tuki.mail_hold.subject IS 'Subject, decoded.';
COMMENT ON COLUMN tuki.mail_hold.body IS 'Body text as read (UTF-8).';
COMMENT ON COLUMN tuki.mail_hold.message_id IS 'Message-ID; unique, so a mail delivered twice is held once.';
COMMENT ON COLUMN tuki.mail_hold.in_reply_to IS 'In-Reply-To, for threading when a lead attaches it.';
COMMENT ON COLUMN tuki.mail_hold.reason IS 'Why it is held, e.g. "unknown sender", "auto_reply (Auto-Submitted)", "not a message".';
COMMENT ON COLUMN tuki.mail_hold.answered_at IS 'When a lead answered it from the template held_answer (tuki.mail_hold_answer); null while unanswered.';
COMMENT ON COLUMN tuki.mail_hold.answered_by IS 'The lead who answered it.';

CREATE TABLE tuki.attachment (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message      bigint REFERENCES tuki.message (id),
    hold         bigint REFERENCES tuki.mail_hold (id) ON DELETE CASCADE,
    filename     text NOT NULL,
    content_type text NOT NULL,
    size         bigint NOT NULL CHECK (size >= 0),
    sha256       bytea,
    content      bytea,
    note         text,
    CHECK ((message IS NULL) <> (hold IS NULL)),
    CHECK ((content IS NULL) = (note IS NOT NULL))
);
CREATE INDEX attachment_message ON tuki.attachment (message) WHERE message IS NOT NULL;
CREATE INDEX attachment_hold ON tuki.attachment (hold) WHERE hold IS NOT NULL;
COMMENT ON TABLE tuki.attachment IS 'Files that came with a customer''s mail (inline images too), of a message or of held mail. Over the per-message cap (tuki.mail_setting attachment_cap_bytes) a file is not kept: content null and note says so.';
COMMENT ON COLUMN tuki.attachment.id IS 'Attachment number.';
COMMENT ON COLUMN tuki.attachment.message IS 'The message it came with.';
COMMENT ON COLUMN tuki.attachment.hold IS 'Or the held mail it came with (until a lead attaches or discards it).';
COMMENT ON COLUMN tuki.attachment.filename IS 'File name as the sender''s client gave it (RFC 2231 / 2047 decoded), else attachment-N.';
COMMENT ON COLUMN tuki.attachment.content_type IS 'MIME type, lower case.';
COMMENT ON COLUMN tuki.attachment.size IS 'Size in bytes of the file as sent (decoded).';
COMMENT ON COLUMN tuki.attachment.sha256 IS 'SHA-256 of the content.';
COMMENT ON COLUMN tuki.attachment.content IS 'The bytes; null when over the cap.';
COMMENT ON COLUMN tuki.attachment.note IS 'Why the content is not kept (over the size cap), else null.';

-- Files of one mail: the bytes while the message's running total stays within the cap.
CREATE FUNCTION tuki.attachments_store(message bigint, hold bigint, filenames text[], content_types text[],
                                        contents bytea[]) RETURNS void
    LANGUAGE sql
    SET search_path = pg_catalog, pg_temp
AS $$
    INSERT INTO tuki.attachment (message, hold, filename, content_type, size, sha256, content, note)
    SELECT attachments_store.message, attachments_store.hold, f.filename, f.content_type, length(f.content),
           sha256(f.content),
           CASE WHEN f.running <= cap.bytes THEN f.content END,
           CASE WHEN f.running > cap.bytes
                THEN format('not kept: the files of one mail may total %s bytes (tuki.mail_setting attachment_cap_bytes)', cap.bytes) END
      FROM (SELECT u.*, sum(length(u.content)) OVER (ORDER BY u.n) AS running
              FROM unnest(filenames, content_types, contents) WITH ORDINALITY AS u(filename, content_type, content, n)) f,
           (SELECT s.value::bigint AS bytes FROM tuki.mail_setting s WHERE s.name = 'attachment_cap_bytes') cap
     ORDER BY f.n
$$;
COMMENT ON FUNCTION tuki.attachments_store(bigint, bigint, text[], text[], bytea[]) IS 'Stores the files of one mail for a message or held mail, in order; once their running total passes the cap the rest are kept as a note only.';

CREATE FUNCTION tuki.mail_hold_add(raw bytea, sender text, sender_name text, subject text, body text,
                                   message_id text, in_reply_to text, reason text,
                                   filenames text[] DEFAULT '{}', content_types text[] DEFAULT '{}',
                                   contents bytea[] DEFAULT '{}') RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    held bigint;
BEGIN
    PERFORM tuki.require_system();
    INSERT INTO tuki.mail_hold (raw, sender, sender_name, subject, body, message_id, in_reply_to, reason)
    VALUES (mail_hold_add.raw, mail_hold_add.sender, mail_hold_add.sender_name, coalesce(mail_hold_add.subject, ''),
            coalesce(mail_hold_add.body, ''), mail_hold_add.message_id, mail_hold_add.in_reply_to, mail_hold_add.reason)
    ON CONFLICT ON CONSTRAINT mail_hold_message_id_key DO NOTHING
    RETURNING id INTO held;
    IF held IS NULL THEN
        RETURN 'duplicate';
    END IF;
    PERFORM tuki.attachments_store(NULL, held, filenames, content_types, contents);
    PERFORM tuki.notify('mail_hold', ARRAY[held]);
    RETURN 'held ' || held;
END
$$;
COMMENT ON FUNCTION tuki.mail_hold_add(bytea, text, text, text, text, text, text, text, text[], text[], bytea[]) IS 'Keeps a mail for a lead (raw bytes, what could be read, why) with its files; returns ''held N'', or ''duplicate'' when that Message-ID is held already. For tuki_system (tuki mail-in).';

-- The ticket a mail belongs to: the tagged one of the same customer, else the one whose
-- message or outgoing mail it answers; null for a new ticket.
CREATE FUNCTION tuki.mail_thread(customer text, tagged bigint, in_reply_to text, refs text[]) RETURNS bigint
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
    -- The ids first (a unique index each, a few rows), the customer's tickets only then: joined
    -- the other way round, a planner without statistics yet (a new desk, a burst of new
    -- tickets) walks every ticket of the customer for each mail.
    WITH x AS MATERIALIZED (
             SELECT m.ticket, 0 AS pref FROM tuki.message m WHERE m.message_id = mail_thread.in_reply_to
             UNION ALL SELECT o.ticket, 0 FROM tuki.outbox o WHERE o.message_id = mail_thread.in_reply_to
             UNION ALL SELECT m.ticket, 1 FROM tuki.message m WHERE m.message_id = ANY (mail_thread.refs)
             UNION ALL SELECT o.ticket, 1 FROM tuki.outbox o WHERE o.message_id = ANY (mail_thread.refs))
    SELECT coalesce(
        (SELECT t.id FROM tuki.ticket t WHERE t.id = mail_thread.tagged AND t.customer = mail_thread.customer),
        (SELECT x.ticket FROM x JOIN tuki.ticket t ON t.id = x.ticket AND t.customer = mail_thread.customer
          ORDER BY x.pref, x.ticket DESC LIMIT 1))
$$;
COMMENT ON FUNCTION tuki.mail_thread(text, bigint, text, text[]) IS 'Threading: the ticket tagged [tuki #N] in the subject when it is the same customer''s, else the ticket whose stored message or outgoing mail has the In-Reply-To id, else one in References; null when none (a new ticket).';

-- A contact's mail onto a ticket (threaded, or new). The one body of mail intake and of a
-- lead attaching held mail.
CREATE FUNCTION tuki.mail_store(contact bigint, tagged bigint, subject text, body text, message_id text,
                                in_reply_to text, refs text[], filenames text[], content_types text[],
                                contents bytea[]) RETURNS text
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    who tuki.contact;
    ticket_id bigint;
    ticket_status text;
    resolved_at timestamptz;
    earlier bigint; -- the closed (or long resolved) ticket the mail answers
    message_id_new bigint;
    note record;
    contract_id bigint;
    tz text;
    -- blank and too long as the schema says (tuki.is_blank, tuki.limits()): the mail is stored
    -- verbatim, only a subject a reader cannot see is replaced and one over the limit cut
    text_body text := CASE WHEN coalesce(tuki.is_blank(mail_store.body), true) THEN '(no text)' ELSE mail_store.body END;
    title text := left(CASE WHEN coalesce(tuki.is_blank(mail_store.subject), true) THEN '(no subject)' ELSE mail_store.subject END,
                       tuki.limit_of('subject')::integer);
BEGIN
    SELECT * INTO who FROM tuki.contact c WHERE c.id = mail_store.contact;
    ticket_id := tuki.mail_thread(who.customer, tagged, in_reply_to, refs);
    IF ticket_id IS NOT NULL THEN
        SELECT t.status, t.resolved_at INTO ticket_status, resolved_at FROM tuki.ticket t WHERE t.id = ticket_id FOR UPDATE;
        -- closed is final, and a ticket resolved longer ago than the reopen window stays
        -- resolved: the mail opens a new ticket that refers to it
        IF ticket_status = 'closed'
           OR (ticket_status = 'resolved'
               AND resolved_at < tuki.now() - make_interval(days => (SELECT s.value::integer FROM tuki.mail_setting s WHERE s.name = 'reopen_days'))) THEN
            earlier := ticket_id;
            ticket_id := NULL;
        END IF;
    END IF;
    IF ticket_id IS NULL THEN
        contract_id := tuki.contract_on(who.customer, tuki.now());
        IF contract_id IS NULL THEN
            RETURN NULL; -- no contract in force: the caller holds the mail for a lead
        END IF;
        SELECT k.tz INTO tz FROM tuki.contract c JOIN tuki.calendar k ON k.code = c.calendar WHERE c.id = contract_id;
        INSERT INTO tuki.ticket (customer, contact, contract, service_level, channel, subject)
        VALUES (who.customer, who.id, contract_id, tuki.contract_level(contract_id, (tuki.now() AT TIME ZONE tz)::date),
                'email', title)
        RETURNING id INTO ticket_id;
    ELSIF ticket_status IN ('waiting_customer', 'resolved') THEN
        -- the answer the desk waited for, or "it is not fixed" within the reopen window: back
        -- to work, the resolution clock runs again
        UPDATE tuki.ticket t SET status = 'open' WHERE t.id = ticket_id;
    END IF;
    INSERT INTO tuki.message (ticket, contact, from_customer, visibility, channel, body, message_id, in_reply_to)
    VALUES (ticket_id, who.id, true, 'public', 'email', text_body, mail_store.message_id, mail_store.in_reply_to)
    RETURNING id INTO message_id_new;
    IF earlier IS NOT NULL THEN
        SELECT * INTO note FROM tuki.mail_render('followup_note', ticket_id, earlier::text);
        INSERT INTO tuki.message (ticket, visibility, channel, body) VALUES (ticket_id, 'internal', 'email', note.text);
    END IF;
    PERFORM tuki.attachments_store(message_id_new, NULL, filenames, content_types, contents);
    RETURN format('stored ticket %s message %s', ticket_id, message_id_new);
END
$$;
COMMENT ON FUNCTION tuki.mail_store(bigint, bigint, text, text, text, text, text[], text[], text[], bytea[]) IS 'Stores a contact''s mail: onto its ticket (tuki.mail_thread; a ticket waiting for the customer, or resolved at most reopen_days ago (tuki.mail_setting), goes back to open; a closed one or one resolved earlier gets a new ticket instead, with an internal note naming the old one (template followup_note)), else a new email ticket of the contact''s customer; with its files. Returns ''stored ticket N message M'', or null when the customer has no contract in force.';

-- A bounce of the desk's own mail: the outgoing row failed, the reason on the ticket.
CREATE FUNCTION tuki.mail_bounce(original_id text, reason text, permanent boolean) RETURNS text
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    o tuki.outbox;
    note record;
BEGIN
    SELECT * INTO o FROM tuki.outbox x WHERE x.message_id = original_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF NOT permanent THEN
        RETURN format('delayed outbox %s', o.id); -- the receiving side still tries: nothing to do
    END IF;
    UPDATE tuki.outbox x SET status = 'failed', last_error = coalesce(reason, 'bounced') WHERE x.id = o.id;
    IF (SELECT t.status FROM tuki.ticket t WHERE t.id = o.ticket) <> 'closed' THEN
        SELECT * INTO note FROM tuki.mail_render('failed_note', o.ticket, coalesce(reason, 'bounced'));
        INSERT INTO tuki.message (ticket, visibility, channel, body)
        VALUES (o.ticket, 'internal', 'email', note.text);
    END IF;
    RETURN format('bounce outbox %s', o.id);
END
$$;
COMMENT ON FUNCTION tuki.mail_bounce(text, text, boolean) IS 'A delivery status notification about the desk''s outgoing mail original_id: a permanent failure marks the outbox row failed with the reason and adds an internal note on the ticket (template failed_note); a delay changes nothing. Null when the id is not the desk''s mail.';

CREATE FUNCTION tuki.mail_receive(raw bytea, sender text, sender_name text, subject text, body text,
                                  message_id text, in_reply_to text, refs text[], tagged bigint,
                                  auto_kind text, auto_reason text, dsn_original text, dsn_reason text,
                                  dsn_permanent boolean, filenames text[], content_types text[],
                                  contents bytea[]) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    who bigint;
    result text;
    violated text;
BEGIN
    PERFORM tuki.require_system();
    IF message_id IS NOT NULL
       AND (EXISTS (SELECT 1 FROM tuki.message m WHERE m.message_id = mail_receive.message_id)
            OR EXISTS (SELECT 1 FROM tuki.mail_hold h WHERE h.message_id = mail_receive.message_id)) THEN
        RETURN 'duplicate';
    END IF;
    -- The same Message-ID delivered twice at once: the second delivery's insert waits on the
    -- unique index for the first to commit, then fails; the block undoes the second's ticket
    -- and outbox rows and it is a duplicate. (No lock on a key of its own: PUBLIC can take any key.)
    BEGIN
        IF dsn_original IS NOT NULL THEN
            result := tuki.mail_bounce(dsn_original, dsn_reason, coalesce(dsn_permanent, true));
            IF result IS NOT NULL THEN
                RETURN result;
            END IF;
        END IF;
        IF auto_kind IS DISTINCT FROM 'personal' THEN
            RETURN tuki.mail_hold_add(raw, sender, sender_name, subject, body, message_id, in_reply_to,
                                      format('%s (%s)', auto_kind, auto_reason), filenames, content_types, contents);
        END IF;
        -- the named contact by address; with the same address at two customers, the one whose
        -- ticket the mail answers, else the oldest contact
        SELECT c.id INTO who FROM tuki.contact c
         WHERE lower(c.email) = lower(sender) AND c.active
         ORDER BY (SELECT t.customer FROM tuki.ticket t WHERE t.id = tagged) IS NOT DISTINCT FROM c.customer DESC, c.id
         LIMIT 1;
        IF who IS NULL THEN
            RETURN tuki.mail_hold_add(raw, sender, sender_name, subject, body, message_id, in_reply_to,
                                      CASE WHEN sender IS NULL THEN 'no sender' ELSE 'unknown sender' END,
                                      filenames, content_types, contents);
        END IF;
        -- a message's body has the limit of every message (tuki.limits()); a longer mail waits for a lead
        IF octet_length(body) > tuki.limit_of('message_body') THEN
            RETURN tuki.mail_hold_add(raw, sender, sender_name, subject, body, message_id, in_reply_to,
                                      format('body over the message_body limit (%s bytes)', tuki.limit_of('message_body')),
                                      filenames, content_types, contents);
        END IF;
        result := tuki.mail_store(who, tagged, subject, body, message_id, in_reply_to, refs, filenames, content_types, contents);
        IF result IS NULL THEN
            RETURN tuki.mail_hold_add(raw, sender, sender_name, subject, body, message_id, in_reply_to,
                                      'customer has no contract in force', filenames, content_types, contents);
        END IF;
        RETURN result;
    EXCEPTION WHEN unique_violation THEN
        GET STACKED DIAGNOSTICS violated = CONSTRAINT_NAME;
        IF violated IN ('message_message_id_key', 'mail_hold_message_id_key') THEN
            RETURN 'duplicate';
        END IF;
        RAISE;
    END;
END
$$;
COMMENT ON FUNCTION tuki.mail_receive(bytea, text, text, text, text, text, text, text[], bigint, text, text, text, text, boolean, text[], text[], bytea[]) IS 'Mail intake (tuki mail-in), one transaction: a Message-ID stored before is ''duplicate''; a bounce of the desk''s own mail marks it (tuki.mail_bounce); automatic, bulk and list mail, unknown senders and customers without a contract are held (tuki.mail_hold_add); a named contact''s mail is stored (tuki.mail_store). Returns what happened: ''stored ticket N message M'', ''held N'', ''bounce outbox N'', ''delayed outbox N'' or ''duplicate''. For tuki_system.';

CREATE FUNCTION tuki.mail_hold_attach(id bigint, customer text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    h tuki.mail_hold;
    who bigint;
    result text;
    files record;
BEGIN
    IF NOT tuki.actor_is_lead() THEN
        PERFORM tuki.fail('TK005', 'only leads attach held mail to a customer',
            'Held mail is from someone who is not a named contact; a lead decides.', 'Ask a lead.');
    END IF;
    PERFORM tuki.check_code('customer', mail_hold_attach.customer, 'tuki.customer');
    SELECT * INTO h FROM tuki.mail_hold x WHERE x.id = mail_hold_attach.id FOR UPDATE;
    IF NOT FOUND OR h.sender IS NULL THEN
        PERFORM tuki.fail('TK006', format('no held mail %s with a sender', mail_hold_attach.id),
            'Only held mail with a From address can become a contact''s mail.', 'See SELECT id, sender, subject, reason FROM tuki.mail_hold;');
    END IF;
    PERFORM tuki.check_size('held mail''s body', h.body, 'message_body');
    SELECT c.id INTO who FROM tuki.contact c
     WHERE c.customer = mail_hold_attach.customer AND lower(c.email) = h.sender;
    IF who IS NULL THEN
        INSERT INTO tuki.contact (customer, name, email, may_order_billable)
        VALUES (mail_hold_attach.customer, CASE WHEN coalesce(tuki.is_blank(h.sender_name), true) THEN h.sender ELSE h.sender_name END, h.sender, false)
        RETURNING tuki.contact.id INTO who;
    END IF;
    SELECT coalesce(array_agg(a.filename ORDER BY a.id), '{}') AS names,
           coalesce(array_agg(a.content_type ORDER BY a.id), '{}') AS types,
           coalesce(array_agg(a.content ORDER BY a.id), '{}') AS contents
      INTO files FROM tuki.attachment a WHERE a.hold = h.id AND a.content IS NOT NULL;
    DELETE FROM tuki.mail_hold x WHERE x.id = h.id;
    result := tuki.mail_store(who, NULL, h.subject, h.body, h.message_id, h.in_reply_to, NULL,
                              files.names, files.types, files.contents);
    IF result IS NULL THEN
        PERFORM tuki.fail('TK006', format('customer %s has no contract in force', mail_hold_attach.customer),
            'A ticket takes its service level and calendar from the contract valid today.',
            format('See SELECT * FROM tuki.contract WHERE customer = %L;', mail_hold_attach.customer));
    END IF;
    RETURN result;
END
$$;
COMMENT ON FUNCTION tuki.mail_hold_attach(bigint, text) IS 'Leads: makes held mail a customer''s: the sender becomes a contact of the customer (not authorised for billable work) unless already one, and the mail is stored as theirs (tuki.mail_store: threaded or a new ticket). Returns ''stored ticket N message M''. TK005 for non-leads, TK006 for unknown held mail or customer.';

CREATE FUNCTION tuki.mail_hold_discard(id bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    IF NOT tuki.actor_is_lead() THEN
        PERFORM tuki.fail('TK005', 'only leads discard held mail', 'Held mail waits for a lead''s decision.', 'Ask a lead.');
    END IF;
    DELETE FROM tuki.mail_hold x WHERE x.id = mail_hold_discard.id;
    IF NOT FOUND THEN
        PERFORM tuki.fail('TK006', format('no held mail %s', mail_hold_discard.id), 'It may have been attached or discarded already.',
            'See SELECT id, sender, subject, reason FROM tuki.mail_hold;');
    END IF;
END
$$;
COMMENT ON FUNCTION tuki.mail_hold_discard(bigint) IS 'Leads: deletes held mail and its files. TK005 for non-leads, TK006 when there is no such held mail.';

-- A lead answers a stranger: the second-line model, from a template, never automatically.
CREATE FUNCTION tuki.mail_hold_answer(id bigint, language text DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    h tuki.mail_hold;
    lang text := coalesce(mail_hold_answer.language, (SELECT s.value FROM tuki.mail_setting s WHERE s.name = 'language'), 'en');
BEGIN
    IF NOT tuki.actor_is_lead() THEN
        PERFORM tuki.fail('TK005', 'only leads answer held mail', 'Held mail is from someone who is not a named contact; a lead decides.', 'Ask a lead.');
    END IF;
    IF lang NOT IN ('fi', 'sk', 'en') THEN
        PERFORM tuki.fail('TK006', format('unknown mail language %s', lang), 'Held mail is answered in fi, sk or en.', 'Give fi, sk or en.');
    END IF;
    SELECT * INTO h FROM tuki.mail_hold x WHERE x.id = mail_hold_answer.id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM tuki.fail('TK006', format('no held mail %s', mail_hold_answer.id), 'It may have been attached or discarded already.',
            'See SELECT id, sender, subject, reason FROM tuki.mail_hold;');
    END IF;
    -- automatic, bulk and list mail, bounces and mail without a sender are never answered
    IF h.reason <> 'unknown sender' OR h.sender IS NULL THEN
        PERFORM tuki.fail('TK006', format('held mail %s is not answered: %s', h.id, h.reason),
            'Only mail from an unknown sender gets the answer that explains the named contacts; automatic and bulk mail get none (no loops).',
            'Discard it, or attach it to a customer.');
    END IF;
    IF h.answered_at IS NOT NULL THEN
        PERFORM tuki.fail('TK003', format('held mail %s was answered by %s already', h.id, h.answered_by),
            'Each held mail is answered once.', 'Attach it to a customer or discard it.');
    END IF;
    INSERT INTO tuki.outbox (kind, recipient, recipient_name, subject, body, language, answers)
    SELECT 'held_answer', h.sender, h.sender_name,
           replace(t.subject, '{subject}', h.subject),
           replace(replace(t.body, '{subject}', h.subject), '{name}', coalesce(nullif(h.sender_name, ''), h.sender)),
           lang, h.message_id
      FROM tuki.mail_template t WHERE t.kind = 'held_answer' AND t.language = lang;
    UPDATE tuki.mail_hold x SET answered_at = tuki.now(), answered_by = tuki.actor() WHERE x.id = h.id;
    PERFORM pg_notify('tuki_outbox', '');
    PERFORM tuki.notify('mail_hold', ARRAY[h.id]);
END
$$;
COMMENT ON FUNCTION tuki.mail_hold_answer(bigint, text) IS 'Leads: answers held mail from an unknown sender with the template held_answer (the second-line model: please ask your organisation''s named contact) in language (else the desk''s), threaded to it, once. TK005 for non-leads; TK006 for no such held mail, an unknown language, or mail that is not from an unknown sender (automatic, bulk, bounces are never answered); TK003 when answered already.';

-- The worker: claim due rows without blocking another worker, then mark each.
CREATE FUNCTION tuki.outbox_claim(max_rows integer DEFAULT 1) RETURNS SETOF tuki.outbox
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM tuki.require_system();
    RETURN QUERY
        SELECT o.* FROM tuki.outbox o
         WHERE o.status = 'queued' AND o.next_attempt <= pg_catalog.now()
         ORDER BY o.next_attempt, o.id
         LIMIT max_rows
           FOR UPDATE SKIP LOCKED;
END
$$;
COMMENT ON FUNCTION tuki.outbox_claim(integer) IS 'tuki worker: up to max_rows queued mails that are due, locked FOR UPDATE SKIP LOCKED so several workers never take the same one; call inside a transaction that then marks them (tuki.outbox_mark).';

CREATE FUNCTION tuki.outbox_thread(id bigint, OUT in_reply_to text, OUT refs text[])
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce((SELECT m.message_id FROM tuki.message m WHERE m.ticket = o.ticket AND m.message_id IS NOT NULL
                      ORDER BY m.id DESC LIMIT 1), o.answers),
           array_remove(ARRAY[o.answers], NULL) || ARRAY(SELECT x.message_id FROM (
                     SELECT m.message_id, m.at FROM tuki.message m WHERE m.ticket = o.ticket AND m.message_id IS NOT NULL
                     UNION ALL
                     SELECT p.message_id, p.created_at FROM tuki.outbox p
                      WHERE p.ticket = o.ticket AND p.message_id IS NOT NULL AND p.id <> o.id) x
                  ORDER BY x.at DESC LIMIT 20)
      FROM tuki.outbox o WHERE o.id = outbox_thread.id
$$;
COMMENT ON FUNCTION tuki.outbox_thread(bigint) IS 'Threading headers of an outgoing mail: In-Reply-To the latest mail that came in on the ticket (else the id it answers, tuki.outbox.answers), References the ticket''s mail ids in and out (newest 20).';

CREATE FUNCTION tuki.outbox_mark(id bigint, status text, error text DEFAULT NULL, message_id text DEFAULT NULL,
                                 raw bytea DEFAULT NULL, retry_after_seconds integer DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    o tuki.outbox;
    note record;
BEGIN
    PERFORM tuki.require_system();
    IF outbox_mark.status IS NULL OR outbox_mark.status NOT IN ('queued', 'sent', 'failed') THEN
        PERFORM tuki.fail('TK006', format('unknown outbox status %s', coalesce(quote_literal(outbox_mark.status), 'NULL')),
            'An attempt leaves a mail sent, queued (to retry) or failed.', 'Give status sent, queued or failed.');
    END IF;
    UPDATE tuki.outbox x SET
           status = outbox_mark.status,
           attempts = x.attempts + 1,
           last_error = outbox_mark.error,
           message_id = coalesce(outbox_mark.message_id, x.message_id),
           raw = coalesce(outbox_mark.raw, x.raw),
           sent_at = CASE WHEN outbox_mark.status = 'sent' THEN tuki.now() END,
           next_attempt = CASE WHEN outbox_mark.status = 'queued'
                               THEN pg_catalog.now() + make_interval(secs => coalesce(retry_after_seconds, 60))
                               ELSE x.next_attempt END
     WHERE x.id = outbox_mark.id
    RETURNING x.* INTO o;
    IF NOT FOUND THEN
        PERFORM tuki.fail('TK006', format('no outbox row %s', coalesce(outbox_mark.id::text, 'NULL')),
            'Only a mail of tuki.outbox can be marked.', 'See SELECT id, status FROM tuki.outbox;');
    END IF;
    -- consoles showing the ticket re-read what became of its mail (queued, sent, failed)
    IF o.ticket IS NOT NULL THEN
        PERFORM tuki.notify('outbox', ARRAY[o.ticket]);
    END IF;
    IF outbox_mark.status = 'failed' AND o.ticket IS NOT NULL
       AND (SELECT t.status FROM tuki.ticket t WHERE t.id = o.ticket) <> 'closed' THEN
        SELECT * INTO note FROM tuki.mail_render('failed_note', o.ticket, coalesce(outbox_mark.error, 'failed'));
        INSERT INTO tuki.message (ticket, visibility, channel, body)
        VALUES (o.ticket, 'internal', 'email', note.text);
    END IF;
END
$$;
COMMENT ON FUNCTION tuki.outbox_mark(bigint, text, text, text, bytea, integer) IS 'tuki worker: records an attempt: sent; queued again after retry_after_seconds (a temporary failure); or failed, with the reason as an internal note on the ticket (template failed_note). Notifies the ticket (kind outbox) so consoles show what became of its mail.';

-- An agent records a customer's words: a phone call, a mail forwarded by hand.
CREATE FUNCTION tuki.ticket_record(id bigint, body text, channel text DEFAULT 'phone', contact_email text DEFAULT NULL)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    t tuki.ticket;
    who bigint;
BEGIN
    PERFORM tuki.require_staff();
    PERFORM tuki.check_text('body', ticket_record.body, 'message_body');
    PERFORM tuki.check_code('channel', ticket_record.channel, 'tuki.channel');
    t := tuki.ticket_lock(ticket_record.id);
    IF ticket_record.contact_email IS NULL THEN
        who := t.contact;
    ELSE
        SELECT c.id INTO who FROM tuki.contact c
         WHERE c.customer = t.customer AND lower(c.email) = lower(btrim(ticket_record.contact_email));
        IF who IS NULL THEN
            PERFORM tuki.fail('TK006', format('no contact %s at customer %s', ticket_record.contact_email, t.customer),
                'A customer''s words are recorded as one of its named contacts.',
                format('See SELECT name, email FROM tuki.contact WHERE customer = %L;', t.customer));
        END IF;
    END IF;
    INSERT INTO tuki.message (ticket, contact, from_customer, visibility, channel, body)
    VALUES (t.id, who, true, 'public', ticket_record.channel, ticket_record.body);
END
$$;
COMMENT ON FUNCTION tuki.ticket_record(bigint, text, text, text) IS 'An agent records a contact''s words (a phone call, a mail forwarded by hand) on a ticket: a public message of the contact (the ticket''s, or the one with contact_email at the same customer), recorded_by the agent. TK006 for an unknown contact or channel, TK008 on closed tickets.';

REVOKE EXECUTE ON FUNCTION tuki.actor_is_system(), tuki.require_system(), tuki.mail_language(bigint),
    tuki.mail_render(text, bigint, text), tuki.outbox_queue(text, bigint[], bigint[]),
    tuki.outbox_after_message(), tuki.outbox_after_ticket_insert(), tuki.outbox_after_status(),
    tuki.message_author(), tuki.ticket_event_system_actor(),
    tuki.attachments_store(bigint, bigint, text[], text[], bytea[]),
    tuki.mail_hold_add(bytea, text, text, text, text, text, text, text, text[], text[], bytea[]),
    tuki.mail_thread(text, bigint, text, text[]),
    tuki.mail_store(bigint, bigint, text, text, text, text, text[], text[], text[], bytea[]),
    tuki.mail_bounce(text, text, boolean),
    tuki.mail_receive(bytea, text, text, text, text, text, text, text[], bigint, text, text, text, text, boolean, text[], text[], bytea[]),
    tuki.mail_hold_attach(bigint, text), tuki.mail_hold_discard(bigint), tuki.mail_hold_answer(bigint, text),
    tuki.outbox_claim(integer), tuki.outbox_thread(bigint), tuki.outbox_mark(bigint, text, text, text, bytea, integer),
    tuki.ticket_record(bigint, text, text, text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tuki.actor_is_system(), tuki.mail_language(bigint), tuki.mail_render(text, bigint, text)
    TO tuki_agent, tuki_readonly, tuki_system;
GRANT EXECUTE ON FUNCTION tuki.ticket_record(bigint, text, text, text) TO tuki_agent;
-- agents may call them to hear why not (TK005): the rule is the function's, not a missing grant
GRANT EXECUTE ON FUNCTION tuki.mail_hold_attach(bigint, text), tuki.mail_hold_discard(bigint), tuki.mail_hold_answer(bigint, text) TO tuki_agent;
GRANT EXECUTE ON FUNCTION
    tuki.mail_receive(bytea, text, text, text, text, text, text, text[], bigint, text, text, text, text, boolean, text[], text[], bytea[]),
    tuki.mail_hold_add(bytea, text, text, text, text, text, text, text, text[], text[], bytea[]),
    tuki.outbox_claim(integer), tuki.outbox_thread(bigint), tuki.outbox_mark(bigint, text, text, text, bytea, integer),
    tuki.sla_sweep()
    TO tuki_system;
GRANT USAGE ON SCHEMA tuki TO tuki_system;
GRANT SELECT ON ALL TABLES IN SCHEMA tuki TO tuki_system;
-- staff read the new tables (default privileges of 006 cover tables made after it)
GRANT SELECT ON tuki.outbox, tuki.mail_hold, tuki.attachment, tuki.mail_setting, tuki.mail_template TO tuki_agent, tuki_readonly;
-- the desk's own sessions read tickets, contacts and messages through the policies of 006
CREATE POLICY system_read ON tuki.customer FOR SELECT TO tuki_system USING (true);
CREATE POLICY system_read ON tuki.contract FOR SELECT TO tuki_system USING (true);
CREATE POLICY system_read ON tuki.contact FOR SELECT TO tuki_system USING (true);
CREATE POLICY system_read ON tuki.ticket FOR SELECT TO tuki_system USING (true);
CREATE POLICY system_read ON tuki.message FOR SELECT TO tuki_system USING (true);
COMMENT ON POLICY system_read ON tuki.customer IS 'The desk''s own sessions (tuki_system) read every row.';
COMMENT ON POLICY system_read ON tuki.contract IS 'The desk''s own sessions (tuki_system) read every row.';
COMMENT ON POLICY system_read ON tuki.contact IS 'The desk''s own sessions (tuki_system) read every row.';
COMMENT ON POLICY system_read ON tuki.ticket IS 'The desk''s own sessions (tuki_system) read every row.';
COMMENT ON POLICY system_read ON tuki.message IS 'The desk''s own sessions (tuki_system) read every row.';

RESET ROLE;
