-- The soak's desk: the console tests' small desk (tests/ui/fixture.sql), one of its customers
-- on a business-hours calendar, and a login for every role the soak drives: agents in two
-- teams and one without a team, a lead, the read-only role, and a contact of each of two
-- customers (set up as tuki-schema(7) tells a DBA to). Run as a superuser.
\ir ../ui/fixture.sql
SET client_min_messages = warning;
-- business time for one customer, so pauses and deadlines cross closing hours
UPDATE tuki.contract SET calendar = 'fi-8-16' WHERE customer = 'TATRA';

SELECT tuki.agent_add('soak_agent_' || g, 'Soak Agent ' || g,
                      (ARRAY['second_line', 'second_line', 'third_line', NULL])[g])
  FROM generate_series(1, 4) g;
SELECT tuki.agent_add('soak_lead', 'Soak Lead', 'second_line', true);
CREATE ROLE soak_readonly LOGIN IN ROLE tuki_readonly;
CREATE ROLE soak_contact_acme LOGIN IN ROLE tuki_customer;
CREATE ROLE soak_contact_kone LOGIN IN ROLE tuki_customer;
UPDATE tuki.contact SET login = 'soak_contact_acme' WHERE email = 'paivi@acme.fi';
UPDATE tuki.contact SET login = 'soak_contact_kone' WHERE email = 'jussi@kone.fi';

-- material: fresh tickets, and some from two days ago whose clocks the sweeps find breached
SELECT count(tuki.ticket_create(c, 'soak seed ' || g, 'body', 'incident', 1 + g % 3, 1 + g / 3 % 3,
                                CASE WHEN g % 2 = 0 THEN e END))
  FROM generate_series(1, 150) g,
       LATERAL (SELECT (ARRAY['ACME', 'KONE', 'TATRA'])[1 + g % 3] c,
                       (ARRAY['paivi@acme.fi', 'jussi@kone.fi', 'lubo@tatra.sk'])[1 + g % 3] e) x;
SELECT set_config('tuki.now', (now() - interval '2 days')::text, false);
SELECT count(tuki.ticket_create((ARRAY['ACME', 'KONE', 'TATRA'])[1 + g % 3], 'soak old ' || g, 'body',
                                'bug', 1 + g % 3, 1))
  FROM generate_series(1, 40) g;
RESET tuki.now;
