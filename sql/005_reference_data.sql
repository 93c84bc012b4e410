-- Reference data: the lifecycle (statuses and allowed moves), request types, channels, teams,
-- the priority matrix, service levels, SLA targets and desk-wide settings. Small tables, so a
-- new value is an INSERT, not a migration of a CHECK.
SET LOCAL ROLE tuki_owner;

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

CREATE TABLE tuki.setting (
    key         text PRIMARY KEY CHECK (key ~ '^[a-z_]+$'),
    value       text NOT NULL,
    description text NOT NULL,
    CHECK (key <> 'sla_warning_percent' OR value ~ '^0*[1-9][0-9]?(\.[0-9]+)?$')
);
COMMENT ON TABLE tuki.setting IS 'Desk-wide settings kept in the schema, one row per key. A changed sla_warning_percent applies at once to tuki.sla, tuki.queue and the next tuki.sla_sweep.';
COMMENT ON COLUMN tuki.setting.key IS 'Setting name, e.g. sla_warning_percent.';
COMMENT ON COLUMN tuki.setting.value IS 'Value as text; each key documents its format.';
COMMENT ON COLUMN tuki.setting.description IS 'What the setting does.';
INSERT INTO tuki.setting (key, value, description) VALUES
    ('sla_warning_percent', '75', 'An SLA clock is in state warning once this percentage of its target is used (more than 0, less than 100).');

-- The desk's size limits, stated once: the table constraints, the API's checks (TK009) and
-- the client (SELECT * FROM tuki.limits()) all read them here. IMMUTABLE: a limit is part of
-- the schema, changed by a migration (which must then check the stored rows), not at run time.
CREATE FUNCTION tuki.limits() RETURNS TABLE (name text, max bigint, unit text, applies_to text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    VALUES ('subject', 500::bigint, 'characters', 'tuki.ticket.subject'),
           ('message_body', 1048576, 'bytes',
            'tuki.message.body (requests, replies, notes), tuki.ticket.resolution, tuki.worklog.note'),
           ('attachment', 26214400, 'bytes', 'one attachment''s content (tuki.attachment.size)'),
           ('worklog_minutes', 1440, 'minutes', 'tuki.worklog.minutes: one entry is 1 to this many minutes')
$$;
COMMENT ON FUNCTION tuki.limits() IS 'The size limits of the desk, one row each: name, max, unit (characters, bytes, minutes) and what it applies to. The one statement of them: constraints and API checks use tuki.limit_of, clients read this. Over a limit the API raises TK009 (worklog minutes: TK006, a range).';

-- PL/pgSQL, not SQL: a SQL function that cannot be inlined (this one reads a set-returning
-- function) is planned again at every call, 25 us, twice in every ticket update; PL/pgSQL keeps
-- its plan for the session (3 us).
CREATE FUNCTION tuki.limit_of(name text) RETURNS bigint
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
    RETURN (SELECT l.max FROM tuki.limits() l WHERE l.name = limit_of.name);
END
$$;
COMMENT ON FUNCTION tuki.limit_of(text) IS 'The max of one limit of tuki.limits(), e.g. tuki.limit_of(''subject'') = 500; null for an unknown name. Immutable, so a constraint computes it once per statement.';

-- Blank is blank to a reader: every Unicode White_Space character (no-break, em, ideographic
-- spaces...) and the invisible format characters (zero-width space and joiners, word joiner,
-- byte order mark, bidi controls, soft hyphen, Hangul fillers, variation selectors, tags).
-- PL/pgSQL, not SQL: the CHECK constraints of tuki.ticket, tuki.message and tuki.canned_reply
-- call it, and PostgreSQL prepares a table's constraints again for every statement that writes
-- it: an inlinable SQL function is parsed again each time (twice in every ticket update,
-- 17 to 26 us of a status change, measured alternately against the SQL version), a PL/pgSQL one is
-- called with the expression it compiled once a session. Per row it costs 0.17 us more
-- (386,241 message bodies tested in 168 against 106 ms).
CREATE FUNCTION tuki.is_blank(value text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
    RETURN value !~ ('[^\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000'
                     '\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e'
                     '\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U0001bca0-\U0001bca3\U0001d173-\U0001d17a'
                     '\U000e0000-\U000e0fff]');
END
$$;
COMMENT ON FUNCTION tuki.is_blank(text) IS 'True when the text has nothing a reader sees: only Unicode white space (U+0009-000D, U+0020, U+0085, U+00A0, U+1680, U+2000-200A, U+2028/9, U+202F, U+205F, U+3000) and invisible format characters (U+00AD, U+034F, U+061C, U+115F/60, U+17B4/5, U+180B-180F, U+200B-200F, U+202A-202E, U+2060-206F, U+3164, U+FE00-FE0F, U+FEFF, U+FFA0, U+1BCA0-1BCA3, U+1D173-1D17A, U+E0000-E0FFF), or nothing at all. Null for null.';

RESET ROLE;
