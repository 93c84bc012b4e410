-- The schema explains itself and holds the contract's names and data.
BEGIN;
SELECT plan(16);

SELECT is((SELECT string_agg(c.relname, ', ' ORDER BY c.relname) FROM pg_class c
            WHERE c.relnamespace = 'tuki'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p')
              AND obj_description(c.oid, 'pg_class') IS NULL), NULL, 'every table and view has a COMMENT');
SELECT is((SELECT string_agg(c.relname || '.' || a.attname, ', ' ORDER BY 1) FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
            WHERE c.relnamespace = 'tuki'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p')
              AND a.attnum > 0 AND NOT a.attisdropped AND col_description(c.oid, a.attnum) IS NULL), NULL, 'every column has a COMMENT');
SELECT is((SELECT string_agg(p.oid::regprocedure::text, ', ' ORDER BY 1) FROM pg_proc p
            WHERE p.pronamespace = 'tuki'::regnamespace AND obj_description(p.oid, 'pg_proc') IS NULL), NULL, 'every function has a COMMENT');
SELECT is((SELECT string_agg(c.relname, ', ' ORDER BY c.relname) FROM pg_class c
            WHERE c.relnamespace = 'tuki'::regnamespace AND c.relkind = 'r'
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p')), NULL, 'every table has a primary key');
SELECT is((SELECT string_agg(c.relname, ', ' ORDER BY c.relname) FROM pg_class c
            WHERE c.relnamespace = 'tuki'::regnamespace AND c.relkind IN ('r', 'v', 'p', 'S') AND c.relowner <> 'tuki_owner'::regrole), NULL,
    'tuki_owner owns every relation');
-- planner switches are not control flow: no function of the schema sets one
SELECT is((SELECT string_agg(p.oid::regprocedure::text, ', ' ORDER BY 1) FROM pg_proc p
            WHERE p.pronamespace = 'tuki'::regnamespace
              AND EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'enable\_%')), NULL,
    'no function sets an enable_* planner setting');

SELECT is((SELECT string_agg(t, ', ') FROM unnest(ARRAY[
    'calendar', 'calendar_hours', 'holiday', 'service_level', 'sla_target', 'priority_matrix', 'customer', 'contract',
    'contact', 'agent', 'ticket', 'message', 'worklog', 'ticket_event', 'transition', 'team', 'status']) t
            WHERE to_regclass('tuki.' || t) IS NULL), NULL, 'all contract tables exist');
SELECT is((SELECT string_agg(c, ', ') FROM unnest(ARRAY['id', 'customer', 'contact', 'contract', 'service_level', 'service_rank', 'type', 'channel',
    'impact', 'urgency', 'priority', 'status', 'team', 'assignee', 'subject', 'resolution', 'bug_confirmed', 'fix_version',
    'created_at', 'updated_at', 'version', 'responded_at', 'resolved_at', 'closed_at', 'response_due', 'resolve_due']) c
            WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = 'tuki.ticket'::regclass AND a.attname = c AND NOT a.attisdropped)),
    NULL, 'tuki.ticket has the contract columns');
SELECT results_eq('SELECT code FROM tuki.status ORDER BY sort_order',
    $$VALUES ('new'), ('open'), ('waiting_customer'), ('waiting_third_party'), ('resolved'), ('closed')$$, 'the statuses');
SELECT results_eq('SELECT code FROM tuki.ticket_type ORDER BY code',
    $$VALUES ('bug'), ('change'), ('incident'), ('problem'), ('question'), ('service_request')$$, 'the types');
SELECT results_eq('SELECT code FROM tuki.channel ORDER BY code',
    $$VALUES ('chat'), ('console'), ('email'), ('phone'), ('portal')$$, 'the channels');
SELECT results_eq('SELECT code, rank FROM tuki.service_level ORDER BY rank',
    $$VALUES ('premium', 1), ('standard', 2), ('light', 3)$$, 'service levels, premium served first');
SELECT is((SELECT count(*)::int FROM tuki.transition WHERE from_status = 'closed'), 0, 'closed is final');
SELECT results_eq('SELECT from_status, to_status FROM tuki.transition WHERE lead_only', $$VALUES ('new', 'closed')$$, 'new -> closed is lead-only');
SELECT ok(EXISTS (SELECT 1 FROM tuki.transition WHERE from_status = 'resolved' AND to_status = 'open' AND NOT lead_only), 'resolved -> open (reopen) is allowed');
SELECT is((SELECT string_agg(f, ', ') FROM unnest(ARRAY[
    'tuki.ticket_create(text,text,text,text,integer,integer,text,text)', 'tuki.ticket_take(bigint)', 'tuki.ticket_take_next()',
    'tuki.ticket_assign(bigint,text)', 'tuki.ticket_set_status(bigint,text,text)', 'tuki.ticket_reply(bigint,text)',
    'tuki.ticket_note(bigint,text)', 'tuki.ticket_set_priority(bigint,integer,integer)', 'tuki.ticket_escalate(bigint,text)',
    'tuki.worklog_add(bigint,integer,boolean,text)', 'tuki.agent_add(text,text,text,boolean)', 'tuki.ticket_release(bigint)',
    'tuki.business_add(text,timestamptz,integer)', 'tuki.business_minutes(text,timestamptz,timestamptz)', 'tuki.now()']) f
            WHERE to_regprocedure(f) IS NULL), NULL, 'the API functions exist with the contract signatures');

SELECT * FROM finish();
ROLLBACK;
