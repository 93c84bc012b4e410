-- Roles, the owner, the clock, reference data and the core tables.
-- Group roles are cluster-wide, so they are created only when missing.
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

SET LOCAL ROLE tuki_owner;

CREATE FUNCTION tuki.actor() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT session_user::text $$;
COMMENT ON FUNCTION tuki.actor() IS 'Who is acting: the login role of the session (session_user). Unlike current_user it is not the owner inside SECURITY DEFINER functions and SET ROLE cannot change it; SET SESSION AUTHORIZATION (superusers only) can.';

-- Superusers are members of every role, so pg_has_role alone covers "superuser or tuki_owner".
-- A plain SQL expression with qualified names and no SET clause, so the planner inlines it
-- into tuki.now() and the triggers that call it for every row.
CREATE FUNCTION tuki.actor_is_admin() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT pg_catalog.pg_has_role(session_user, 'tuki_owner', 'MEMBER') $$;
COMMENT ON FUNCTION tuki.actor_is_admin() IS 'True when the session user is a superuser or a member of tuki_owner (the people who migrate the schema); they may move the clock and act with lead rights.';

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

CREATE FUNCTION tuki.sla_bulk_mode() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    -- Only an administrator's session (tuki.sla_recompute, seeding) may say the values are
    -- computed set-based: a setting anyone can SET must not switch the SLA row trigger off.
    SELECT coalesce(pg_catalog.current_setting('tuki.sla_bulk', true) = 'on', false)
           AND tuki.actor_is_admin()
$$;
COMMENT ON FUNCTION tuki.sla_bulk_mode() IS 'True while an administrator''s session writes SLA values computed set-based (setting tuki.sla_bulk on, as tuki.sla_recompute does); the SLA row triggers, the version stamp and the history of changed fields then stand aside (tuki.sla_recompute writes version and events itself). The setting alone, from anyone else, changes nothing.';

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

-- Reference data: small tables, so a new value is an INSERT, not a migration of a CHECK.
CREATE TABLE tuki.status (
    code       text PRIMARY KEY CHECK (code ~ '^[a-z_]+$'),
    name       text NOT NULL,
    is_active  boolean NOT NULL,
    sort_order integer NOT NULL UNIQUE,
    -- the target of tuki.ticket's (status, is_active): a changed is_active cascades to the tickets
    UNIQUE (code, is_active)
);
COMMENT ON TABLE tuki.status IS 'Ticket statuses of the lifecycle; the allowed moves between them are in tuki.transition.';
COMMENT ON COLUMN tuki.status.code IS 'Status code stored in tuki.ticket.status.';
COMMENT ON COLUMN tuki.status.name IS 'Human-readable name.';
COMMENT ON COLUMN tuki.status.is_active IS 'True when a ticket in this status is still being worked on and appears in tuki.queue. The one definition of an active status: tuki.ticket.is_active follows it (ON UPDATE CASCADE), and the queue, its indexes, tuki.ticket_take_next, the SLA passes and the console read that column.';
COMMENT ON COLUMN tuki.status.sort_order IS 'Order in which the lifecycle is usually walked, for lists.';
INSERT INTO tuki.status (code, name, is_active, sort_order) VALUES
    ('new', 'New, nobody has taken it', true, 1),
    ('open', 'Being worked on', true, 2),
    ('waiting_customer', 'Waiting for the customer', true, 3),
    ('waiting_third_party', 'Waiting for a third party (vendor, development)', true, 4),
    ('resolved', 'Resolved, the customer may still reopen it', false, 5),
    ('closed', 'Closed for good', false, 6);

CREATE TABLE tuki.transition (
    from_status text NOT NULL REFERENCES tuki.status (code),
    to_status   text NOT NULL REFERENCES tuki.status (code),
    lead_only   boolean NOT NULL DEFAULT false,
    PRIMARY KEY (from_status, to_status),
    CHECK (from_status <> to_status)
);
COMMENT ON TABLE tuki.transition IS 'The lifecycle as data: every allowed status change. A trigger on tuki.ticket refuses any other change with TK001.';
COMMENT ON COLUMN tuki.transition.from_status IS 'Status the ticket is in.';
COMMENT ON COLUMN tuki.transition.to_status IS 'Status it may move to.';
COMMENT ON COLUMN tuki.transition.lead_only IS 'Only leads (tuki.agent.is_lead) and administrators may make this move; others get TK005.';
INSERT INTO tuki.transition (from_status, to_status, lead_only) VALUES
    ('new', 'open', false),
    ('new', 'waiting_customer', false),
    ('new', 'resolved', false),
    ('new', 'closed', true),
    ('open', 'waiting_customer', false),
    ('open', 'waiting_third_party', false),
    ('open', 'resolved', false),
    ('waiting_customer', 'open', false),
    ('waiting_customer', 'waiting_third_party', false),
    ('waiting_customer', 'resolved', false),
    ('waiting_third_party', 'open', false),
    ('waiting_third_party', 'waiting_customer', false),
    ('waiting_third_party', 'resolved', false),
    ('resolved', 'open', false),
    ('resolved', 'closed', false);

CREATE TABLE tuki.ticket_type (
    code text PRIMARY KEY CHECK (code ~ '^[a-z_]+$'),
    name text NOT NULL
);
COMMENT ON TABLE tuki.ticket_type IS 'Kinds of request.';
COMMENT ON COLUMN tuki.ticket_type.code IS 'Type code stored in tuki.ticket.type.';
COMMENT ON COLUMN tuki.ticket_type.name IS 'Human-readable name.';
INSERT INTO tuki.ticket_type (code, name) VALUES
    ('incident', 'Incident: something that worked is broken'),
    ('service_request', 'Service request: please do something'),
    ('problem', 'Problem: the cause behind incidents'),
    ('change', 'Change request'),
    ('bug', 'Bug in the product'),
    ('question', 'Question');

CREATE TABLE tuki.channel (
    code text PRIMARY KEY CHECK (code ~ '^[a-z_]+$'),
    name text NOT NULL
);
COMMENT ON TABLE tuki.channel IS 'How a request or message reached the desk.';
COMMENT ON COLUMN tuki.channel.code IS 'Channel code stored in tuki.ticket.channel and tuki.message.channel.';
COMMENT ON COLUMN tuki.channel.name IS 'Human-readable name.';
INSERT INTO tuki.channel (code, name) VALUES
    ('email', 'E-mail'), ('phone', 'Phone'), ('portal', 'Support portal'),
    ('chat', 'Chat'), ('console', 'Entered in the tuki console');

CREATE TABLE tuki.team (
    code text PRIMARY KEY CHECK (code ~ '^[a-z_]+$'),
    name text NOT NULL
);
COMMENT ON TABLE tuki.team IS 'Teams a ticket can be escalated between.';
COMMENT ON COLUMN tuki.team.code IS 'Team code stored in tuki.ticket.team and tuki.agent.team.';
COMMENT ON COLUMN tuki.team.name IS 'Human-readable name.';
INSERT INTO tuki.team (code, name) VALUES
    ('second_line', 'Second line support'),
    ('third_line', 'Third line support'),
    ('development', 'Product development');

CREATE TABLE tuki.priority_matrix (
    impact   integer NOT NULL CHECK (impact BETWEEN 1 AND 3),
    urgency  integer NOT NULL CHECK (urgency BETWEEN 1 AND 3),
    priority integer NOT NULL CHECK (priority BETWEEN 1 AND 5),
    PRIMARY KEY (impact, urgency)
);
COMMENT ON TABLE tuki.priority_matrix IS 'ITIL impact x urgency -> priority P1..P5. tuki.ticket.priority always follows it.';
COMMENT ON COLUMN tuki.priority_matrix.impact IS 'Impact: 1 high (many users / whole service) ... 3 low (one user).';
COMMENT ON COLUMN tuki.priority_matrix.urgency IS 'Urgency: 1 high (work stopped) ... 3 low (can wait).';
COMMENT ON COLUMN tuki.priority_matrix.priority IS 'Resulting priority: 1 critical ... 5 planning.';
INSERT INTO tuki.priority_matrix (impact, urgency, priority) VALUES
    (1, 1, 1), (1, 2, 2), (1, 3, 3),
    (2, 1, 2), (2, 2, 3), (2, 3, 4),
    (3, 1, 3), (3, 2, 4), (3, 3, 5);

CREATE TABLE tuki.service_level (
    code text PRIMARY KEY CHECK (code ~ '^[a-z_]+$'),
    name text NOT NULL,
    rank integer NOT NULL CHECK (rank >= 1),
    UNIQUE (code, rank)
);
COMMENT ON TABLE tuki.service_level IS 'Service levels of contracts; rank orders the queue (1 = served first).';
COMMENT ON COLUMN tuki.service_level.code IS 'Level code: light, standard, premium.';
COMMENT ON COLUMN tuki.service_level.name IS 'Human-readable name.';
COMMENT ON COLUMN tuki.service_level.rank IS 'Queue rank, 1 = picked up first; copied to tuki.ticket.service_rank (kept in step by ON UPDATE CASCADE).';
INSERT INTO tuki.service_level (code, name, rank) VALUES
    ('premium', 'Premium', 1), ('standard', 'Standard', 2), ('light', 'Light', 3);

CREATE TABLE tuki.sla_target (
    service_level    text NOT NULL REFERENCES tuki.service_level (code) ON UPDATE CASCADE,
    priority         integer NOT NULL CHECK (priority BETWEEN 1 AND 5),
    response_minutes integer NOT NULL CHECK (response_minutes > 0),
    resolve_minutes  integer NOT NULL CHECK (resolve_minutes > 0),
    PRIMARY KEY (service_level, priority),
    CHECK (resolve_minutes >= response_minutes)
);
COMMENT ON TABLE tuki.sla_target IS 'SLA targets per service level and priority, in business minutes of the contract''s calendar.';
COMMENT ON COLUMN tuki.sla_target.service_level IS 'The service level.';
COMMENT ON COLUMN tuki.sla_target.priority IS 'Ticket priority 1..5.';
COMMENT ON COLUMN tuki.sla_target.response_minutes IS 'Business minutes from creation to the first public reply by an agent.';
COMMENT ON COLUMN tuki.sla_target.resolve_minutes IS 'Business minutes from creation to resolution, not counting pauses.';
INSERT INTO tuki.sla_target (service_level, priority, response_minutes, resolve_minutes)
SELECT l.code, p.priority, p.response * l.factor, p.resolve * l.factor
  FROM (VALUES ('premium', 1), ('standard', 2), ('light', 4)) l(code, factor),
       (VALUES (1, 30, 240), (2, 60, 480), (3, 240, 1440), (4, 480, 2880), (5, 960, 4800)) p(priority, response, resolve);

CREATE TABLE tuki.customer (
    code text PRIMARY KEY CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
    name text NOT NULL CHECK (btrim(name) <> '')
);
COMMENT ON TABLE tuki.customer IS 'Customer organisations.';
COMMENT ON COLUMN tuki.customer.code IS 'Short upper-case code, e.g. ACME.';
COMMENT ON COLUMN tuki.customer.name IS 'Full name of the organisation.';

CREATE TABLE tuki.contract (
    id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    customer      text NOT NULL REFERENCES tuki.customer (code) ON UPDATE CASCADE,
    service_level text NOT NULL REFERENCES tuki.service_level (code) ON UPDATE CASCADE,
    calendar      text NOT NULL REFERENCES tuki.calendar (code) ON UPDATE CASCADE,
    valid_from    date NOT NULL,
    valid_to      date,
    quota_minutes integer NOT NULL DEFAULT 0 CHECK (quota_minutes >= 0),
    raise_level   text REFERENCES tuki.service_level (code) ON UPDATE CASCADE,
    raise_from    date,
    raise_to      date,
    UNIQUE (id, customer),
    CHECK (valid_to IS NULL OR valid_to >= valid_from),
    CHECK ((raise_level IS NULL) = (raise_from IS NULL) AND (raise_level IS NULL) = (raise_to IS NULL)),
    CHECK (raise_to >= raise_from)
);
CREATE INDEX contract_customer ON tuki.contract (customer, valid_from);
COMMENT ON TABLE tuki.contract IS 'Maintenance contracts: service level, business calendar, monthly quota, optional temporary level raise. A ticket takes the contract valid on its creation day.';
COMMENT ON COLUMN tuki.contract.id IS 'Contract number.';
COMMENT ON COLUMN tuki.contract.customer IS 'The customer.';
COMMENT ON COLUMN tuki.contract.service_level IS 'Agreed service level.';
COMMENT ON COLUMN tuki.contract.calendar IS 'Business calendar the SLA clocks count in (tuki.calendar).';
COMMENT ON COLUMN tuki.contract.valid_from IS 'First day the contract is in force (the calendar''s local date).';
COMMENT ON COLUMN tuki.contract.valid_to IS 'Last day in force; null = open-ended.';
COMMENT ON COLUMN tuki.contract.quota_minutes IS 'Work minutes per month included in the maintenance fee; work beyond it is billable.';
COMMENT ON COLUMN tuki.contract.raise_level IS 'Temporary higher service level, e.g. premium during a go-live; null when none.';
COMMENT ON COLUMN tuki.contract.raise_from IS 'First day of the temporary level raise.';
COMMENT ON COLUMN tuki.contract.raise_to IS 'Last day of the temporary level raise.';

CREATE TABLE tuki.contact (
    id                 bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    customer           text NOT NULL REFERENCES tuki.customer (code) ON UPDATE CASCADE,
    name               text NOT NULL CHECK (btrim(name) <> ''),
    email              text CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    phone              text,
    may_order_billable boolean NOT NULL DEFAULT false,
    login              text UNIQUE,
    active             boolean NOT NULL DEFAULT true,
    UNIQUE (id, customer)
);
CREATE UNIQUE INDEX contact_email ON tuki.contact (customer, lower(email));
COMMENT ON TABLE tuki.contact IS 'Named contacts of a customer: the only people who talk to the vendor.';
COMMENT ON COLUMN tuki.contact.id IS 'Contact number.';
COMMENT ON COLUMN tuki.contact.customer IS 'The organisation the contact belongs to.';
COMMENT ON COLUMN tuki.contact.name IS 'Full name.';
COMMENT ON COLUMN tuki.contact.email IS 'E-mail address; unique (case-insensitively) within the customer.';
COMMENT ON COLUMN tuki.contact.phone IS 'Phone number as written.';
COMMENT ON COLUMN tuki.contact.may_order_billable IS 'True when the contact may order billable work (tuki.worklog_add refuses billable work otherwise, TK004).';
COMMENT ON COLUMN tuki.contact.login IS 'PostgreSQL role the contact logs in with (member of tuki_customer), or null.';
COMMENT ON COLUMN tuki.contact.active IS 'False when the person is no longer a contact; kept for history.';

CREATE TABLE tuki.agent (
    login        text PRIMARY KEY,
    display_name text NOT NULL CHECK (btrim(display_name) <> ''),
    team         text REFERENCES tuki.team (code) ON UPDATE CASCADE,
    is_lead      boolean NOT NULL DEFAULT false,
    active       boolean NOT NULL DEFAULT true
);
COMMENT ON TABLE tuki.agent IS 'Support agents. Register with tuki.agent_add, which also grants tuki_agent / tuki_lead.';
COMMENT ON COLUMN tuki.agent.login IS 'The agent''s PostgreSQL login role.';
COMMENT ON COLUMN tuki.agent.display_name IS 'Name shown in the console.';
COMMENT ON COLUMN tuki.agent.team IS 'Home team; tuki.ticket_take_next picks from it (null = any team).';
COMMENT ON COLUMN tuki.agent.is_lead IS 'Leads may reassign others'' tickets, make lead-only moves and register agents.';
COMMENT ON COLUMN tuki.agent.active IS 'False for agents who left; kept for history.';

CREATE TYPE tuki.queue_key AS (service_rank integer, priority integer, due timestamptz, id bigint);
COMMENT ON TYPE tuki.queue_key IS 'A ticket''s place in the queue order, compared field by field: service level rank (premium first), priority, the next deadline still running (infinity when none), id.';

CREATE TABLE tuki.ticket (
    id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    customer      text NOT NULL REFERENCES tuki.customer (code) ON UPDATE CASCADE,
    contact       bigint,
    contract      bigint NOT NULL,
    service_level text NOT NULL,
    service_rank  integer NOT NULL,
    type          text NOT NULL DEFAULT 'incident' REFERENCES tuki.ticket_type (code),
    channel       text NOT NULL DEFAULT 'email' REFERENCES tuki.channel (code),
    impact        integer NOT NULL DEFAULT 3 CHECK (impact BETWEEN 1 AND 3),
    urgency       integer NOT NULL DEFAULT 3 CHECK (urgency BETWEEN 1 AND 3),
    priority      integer NOT NULL CHECK (priority BETWEEN 1 AND 5),
    status        text NOT NULL DEFAULT 'new',
    -- tuki.status.is_active of the status, kept in step by the foreign key below (ON UPDATE
    -- CASCADE) and set by trigger ticket_derive: the queue's indexes are on a plain column
    is_active     boolean NOT NULL DEFAULT true,
    team          text NOT NULL DEFAULT 'second_line' REFERENCES tuki.team (code) ON UPDATE CASCADE,
    assignee      text REFERENCES tuki.agent (login),
    subject       text NOT NULL CHECK (btrim(subject) <> '' AND length(subject) <= 500),
    resolution    text,
    bug_confirmed boolean NOT NULL DEFAULT false,
    fix_version   text,
    created_at    timestamptz NOT NULL DEFAULT tuki.now(),
    updated_at    timestamptz NOT NULL DEFAULT tuki.now(),
    version       integer NOT NULL DEFAULT 1,
    responded_at  timestamptz,
    resolved_at   timestamptz,
    closed_at     timestamptz,
    response_due  timestamptz,
    resolve_due   timestamptz,
    -- the queue order, defined once: every ordering and keyset comparison of the queue is on
    -- this column (graphile-worker's is_available, for an order); stored, so it is indexed
    queue_key     tuki.queue_key GENERATED ALWAYS AS
                      (ROW(service_rank, priority,
                           coalesce(least(CASE WHEN responded_at IS NULL THEN response_due END, resolve_due),
                                    'infinity'),
                           id)::tuki.queue_key) STORED,
    FOREIGN KEY (status, is_active) REFERENCES tuki.status (code, is_active) ON UPDATE CASCADE,
    FOREIGN KEY (contact, customer) REFERENCES tuki.contact (id, customer),
    FOREIGN KEY (contract, customer) REFERENCES tuki.contract (id, customer),
    FOREIGN KEY (service_level, service_rank) REFERENCES tuki.service_level (code, rank) ON UPDATE CASCADE,
    CHECK (status <> 'resolved' OR (resolved_at IS NOT NULL AND btrim(resolution) <> '')),
    CHECK (status <> 'closed' OR closed_at IS NOT NULL)
);
CREATE INDEX ticket_customer ON tuki.ticket (customer, created_at);
-- Only indexes a query of the desk uses: every one is written again when an SLA rewrite moves
-- a deadline (queue_key is indexed, so no HOT update), 6% of rewriting 100,000 tickets each. So
-- no index on status alone, nor on contact or contract: nothing looks tickets up by them, and
-- deleting a contact or contract (which their foreign keys check) is a rare administrator's
-- act that may scan the table.
-- tuki.queue and the console's queue pages: active tickets in queue order
CREATE INDEX ticket_queue_order ON tuki.ticket (queue_key) WHERE is_active;
-- what tuki.ticket_take_next looks at: the queue's tickets nobody holds
CREATE INDEX ticket_takeable ON tuki.ticket (queue_key) WHERE is_active AND assignee IS NULL;
-- An agent's own active tickets in queue order (the console's "mine", paged by key like the
-- queue); unassigned ones are ticket_takeable's (and would be dead weight here: a backlog of
-- them is exactly when an SLA rewrite moves the most deadlines)
CREATE INDEX ticket_assignee ON tuki.ticket (assignee, queue_key) WHERE is_active AND assignee IS NOT NULL;
COMMENT ON TABLE tuki.ticket IS 'Requests. Status changes are checked against tuki.transition by trigger; timestamps and priority are set by triggers, not clients; every change is recorded in tuki.ticket_event. Never deleted: DELETE and TRUNCATE raise TK002 (close a ticket instead).';
COMMENT ON COLUMN tuki.ticket.id IS 'Ticket number, shown as #1234.';
COMMENT ON COLUMN tuki.ticket.customer IS 'The customer organisation; cannot change.';
COMMENT ON COLUMN tuki.ticket.contact IS 'The named contact who asked, or null when unknown.';
COMMENT ON COLUMN tuki.ticket.contract IS 'The contract valid on the creation day; gives the calendar for SLA clocks.';
COMMENT ON COLUMN tuki.ticket.service_level IS 'Effective service level at creation (the contract''s, or its temporary raise).';
COMMENT ON COLUMN tuki.ticket.service_rank IS 'Queue rank of service_level, copied for the queue index.';
COMMENT ON COLUMN tuki.ticket.type IS 'Request type (tuki.ticket_type).';
COMMENT ON COLUMN tuki.ticket.channel IS 'How the request arrived (tuki.channel).';
COMMENT ON COLUMN tuki.ticket.impact IS 'Impact 1 high .. 3 low.';
COMMENT ON COLUMN tuki.ticket.urgency IS 'Urgency 1 high .. 3 low.';
COMMENT ON COLUMN tuki.ticket.priority IS 'P1..P5 from tuki.priority_matrix; set by trigger from impact and urgency.';
COMMENT ON COLUMN tuki.ticket.status IS 'Lifecycle status (tuki.status); changes checked against tuki.transition.';
COMMENT ON COLUMN tuki.ticket.team IS 'Team currently responsible (tuki.team).';
COMMENT ON COLUMN tuki.ticket.assignee IS 'Agent holding the ticket, null when in the queue.';
COMMENT ON COLUMN tuki.ticket.subject IS 'One-line summary, stored verbatim.';
COMMENT ON COLUMN tuki.ticket.resolution IS 'Resolution note; required to resolve, cleared on reopen.';
COMMENT ON COLUMN tuki.ticket.bug_confirmed IS 'For bugs: confirmed by development.';
COMMENT ON COLUMN tuki.ticket.fix_version IS 'For bugs: the version that fixes it, told to the customer.';
COMMENT ON COLUMN tuki.ticket.created_at IS 'When the ticket was created (tuki.now()).';
COMMENT ON COLUMN tuki.ticket.updated_at IS 'When the row last changed (tuki.now()).';
COMMENT ON COLUMN tuki.ticket.version IS 'Incremented by every change; pass it to tuki.ticket_expect_version for an optimistic check.';
COMMENT ON COLUMN tuki.ticket.responded_at IS 'First public reply by an agent (or resolution, whichever is first); set by trigger.';
COMMENT ON COLUMN tuki.ticket.resolved_at IS 'When it was last resolved; null while not resolved. Set by trigger.';
COMMENT ON COLUMN tuki.ticket.closed_at IS 'When it was closed. Set by trigger.';
COMMENT ON COLUMN tuki.ticket.response_due IS 'Response deadline; maintained by the SLA clocks (migrations 010+), null until then.';
COMMENT ON COLUMN tuki.ticket.resolve_due IS 'Resolution deadline; maintained by the SLA clocks (migrations 010+), null until then.';
COMMENT ON COLUMN tuki.ticket.is_active IS 'Whether the ticket is in the queue: tuki.status.is_active of its status, kept in step by foreign key (ON UPDATE CASCADE) and trigger; never written by clients.';
COMMENT ON COLUMN tuki.ticket.queue_key IS 'The queue order, defined once: (service_rank, priority, due, id), due being the next deadline still running (the earlier of response_due while not yet responded and resolve_due; infinity when none runs, so those sort last). Generated (stored); tuki.queue, tuki.ticket_take_next and tuki.queue_after order and page by it.';

CREATE TABLE tuki.message (
    id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    ticket        bigint NOT NULL REFERENCES tuki.ticket (id),
    at            timestamptz NOT NULL DEFAULT tuki.now(),
    author        text NOT NULL DEFAULT tuki.actor(),
    contact       bigint REFERENCES tuki.contact (id),
    from_customer boolean NOT NULL DEFAULT false,
    visibility    text NOT NULL CHECK (visibility IN ('public', 'internal')),
    channel       text NOT NULL DEFAULT 'console' REFERENCES tuki.channel (code),
    body          text NOT NULL CHECK (body <> ''),
    CHECK (NOT (from_customer AND visibility = 'internal'))
);
CREATE INDEX message_ticket ON tuki.message (ticket, at);
COMMENT ON TABLE tuki.message IS 'Conversation of a ticket: public messages (customer sees them) and internal notes (never shown to customers).';
COMMENT ON COLUMN tuki.message.id IS 'Message number.';
COMMENT ON COLUMN tuki.message.ticket IS 'The ticket.';
COMMENT ON COLUMN tuki.message.at IS 'When it was written (tuki.now(); set by trigger).';
COMMENT ON COLUMN tuki.message.author IS 'Login role that entered it (set by trigger to tuki.actor()).';
COMMENT ON COLUMN tuki.message.contact IS 'The customer contact who wrote it, when from_customer.';
COMMENT ON COLUMN tuki.message.from_customer IS 'True for the customer''s words (the request, their replies); false for agents'' replies and notes.';
COMMENT ON COLUMN tuki.message.visibility IS 'public or internal.';
COMMENT ON COLUMN tuki.message.channel IS 'How it was sent or received.';
COMMENT ON COLUMN tuki.message.body IS 'Text, stored verbatim.';

CREATE TABLE tuki.worklog (
    id       bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    ticket   bigint NOT NULL REFERENCES tuki.ticket (id),
    agent    text NOT NULL REFERENCES tuki.agent (login),
    at       timestamptz NOT NULL DEFAULT tuki.now(),
    minutes  integer NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
    billable boolean NOT NULL DEFAULT false,
    note     text
);
CREATE INDEX worklog_ticket ON tuki.worklog (ticket);
CREATE INDEX worklog_agent ON tuki.worklog (agent, at);
COMMENT ON TABLE tuki.worklog IS 'Work time spent on tickets; non-billable time counts against the contract quota.';
COMMENT ON COLUMN tuki.worklog.id IS 'Entry number.';
COMMENT ON COLUMN tuki.worklog.ticket IS 'The ticket.';
COMMENT ON COLUMN tuki.worklog.agent IS 'Agent who did the work.';
COMMENT ON COLUMN tuki.worklog.at IS 'When it was logged (tuki.now()).';
COMMENT ON COLUMN tuki.worklog.minutes IS 'Minutes worked, 1..1440.';
COMMENT ON COLUMN tuki.worklog.billable IS 'Ordered as billable work by an authorised contact (TK004 otherwise).';
COMMENT ON COLUMN tuki.worklog.note IS 'What was done.';

CREATE TABLE tuki.ticket_event (
    id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Not a foreign key: trigger ticket_event_ticket_exists (004) checks a whole statement's
    -- events against tuki.ticket in one query, where a foreign key runs a query and
    -- share-locks the ticket row event by event (a third of the events' cost in a
    -- 100,000-ticket SLA rewrite). Tickets are never deleted (004), so what was checked
    -- stays true.
    ticket bigint NOT NULL,
    at     timestamptz NOT NULL DEFAULT tuki.now(),
    actor  text NOT NULL DEFAULT tuki.actor(),
    kind   text NOT NULL CHECK (kind ~ '^[a-z_]+$'),
    detail jsonb NOT NULL DEFAULT '{}'
);
-- By ticket only: the history is read a ticket at a time. Which warnings and breaches happened
-- when is in tuki.sla_alert; an index by kind would cost every one of millions of events.
CREATE INDEX ticket_event_ticket ON tuki.ticket_event (ticket, id);
COMMENT ON TABLE tuki.ticket_event IS 'Append-only history of every ticket: UPDATE, DELETE and TRUNCATE raise TK002 for everyone. Written by triggers only.';
COMMENT ON COLUMN tuki.ticket_event.id IS 'Event number; orders events.';
COMMENT ON COLUMN tuki.ticket_event.ticket IS 'The ticket (checked by trigger ticket_event_ticket_exists; tickets are never deleted).';
COMMENT ON COLUMN tuki.ticket_event.at IS 'When (tuki.now(); set by trigger).';
COMMENT ON COLUMN tuki.ticket_event.actor IS 'Login role that acted (session_user, see tuki.actor()); set by trigger.';
COMMENT ON COLUMN tuki.ticket_event.kind IS 'created, status, assign, priority, escalate, responded, edit, reply, note, customer_message, worklog (and SLA kinds from migrations 010+).';
COMMENT ON COLUMN tuki.ticket_event.detail IS 'What changed, as JSON, e.g. {"from":"new","to":"open"}.';

RESET ROLE;
