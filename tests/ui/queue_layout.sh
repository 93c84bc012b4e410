#!/usr/bin/env bash
# The queue's columns at 140, 80 and 60 columns: sized to their content up to a cap (a
# 9-character customer code fits and does not run into the subject), the subject takes the
# rest, a team column while the filter spans teams, and below 80 columns (no SLA pane) the
# time left as a column of its own. The agent opens on "home": their team's tickets plus
# their own, here one held in the third line. Unknown teams and types are errors.
. "$(dirname "$0")/lib.sh"
ui_fixture
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
INSERT INTO tuki.customer (code, name) VALUES ('POHJOISME', 'Pohjoismetsä Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from, quota_minutes) VALUES
    ('POHJOISME', 'standard', '24x7', '2020-01-01', 60);
INSERT INTO tuki.contact (customer, name, email) VALUES ('POHJOISME', 'Riikka Söderström', 'riikka@pohjoismetsa.fi');
SELECT tuki.ticket_create('POHJOISME', 'Metsäkoneen raportti ei aukea', 'Raportti ei aukea.', 'bug', 2, 2, 'riikka@pohjoismetsa.fi');
-- 3 goes to the third line and stays alice's; 6 goes to development, nobody's
SELECT tuki.ticket_escalate(3, 'third_line');
SELECT tuki.ticket_assign(3, 'alice');
SELECT tuki.ticket_escalate(6, 'development');
SQL

ui_start 140 40 "$TUKI" -d user=alice
check "console is up" ui_wait_for "connected as alice"
check "the clocks are in" ui_wait_for "#11 res "
check "home: alice's team and her third-line ticket, not development's" ui_wait_for "Queue: my team and mine (11)"
check "queue at 140 columns" ui_golden queue_140

ui_keys :
ui_type "filter team:Third_Line"
ui_keys Enter
check "team filter in any case" ui_wait_for "Queue: team third_line (1)"
check "the SLA pane follows the queue" ui_wait_gone "#11 resp"
check "one team: no team column" ui_golden queue_140_team

ui_keys :
ui_type "filter team:fourth_line"
ui_keys Enter
check "an unknown team is an error naming the teams" ui_wait_for "TK006: no team fourth_line"
check "the queue stays as it was" ui_wait_for "Queue: team third_line (1)"
ui_keys :
ui_type "filter type:bug"
ui_keys Enter
check "type filter" ui_wait_for "Queue: type bug (2)"

ui_keys :
ui_type "filter all"
ui_keys Enter
check "all" ui_wait_for "Queue: all active (12)"
check "the SLA pane follows" ui_wait_for "#11 resp"
ui_resize 80 24
check "the SLA pane at 80 columns" ui_wait_for "┐┌ SLA"
check "queue at 80 columns" ui_golden queue_80

ui_resize 60 24
check "no SLA pane below 80 columns" ui_wait_gone "┌ SLA"
check "the time left has a column" ui_wait_for " Left"
check "queue at 60 columns" ui_golden queue_60

ui_keys q
check "quits" ui_wait_exit
ui_done
