#!/usr/bin/env bash
# Killing the console's backend: a banner, an automatic reconnect, the right queue again;
# a command typed while offline is refused with a clear message, not lost silently.
. "$(dirname "$0")/lib.sh"
ui_fixture

ui_start 120 40 "$TUKI" -d user=alice
check "console is up" ui_wait_for "connected as alice"
# Put something else in the status line, so that "connected as" can only come back with
# the reconnect.
ui_keys Z
check "the status line says something else" ui_wait_for "key 'Z' does nothing here"
psql -XAtc "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'alice' AND application_name = 'tuki'" >/dev/null
# The console notices on its socket and reconnects with backoff; the banner may be brief.
check "reconnected" ui_wait_for "connected as alice" 10
# The reconnect reloads every pane; let that finish, so that the change below can only
# reach the screen by a notification on the new connection.
sleep 1
check "the reload after the reconnect shows the old subject" ui_wait_for "Tulostin ei tulosta"
psql -Xqc "UPDATE tuki.ticket SET subject = 'Tulostin ei vieläkään tulosta' WHERE id = 1"
check "after the reconnect, live updates work again (re-LISTEN)" ui_wait_for "Tulostin ei vieläkään tulosta" 5
check "a fresh backend serves the console" test "$(psql -XAtc "SELECT count(*) FROM pg_stat_activity WHERE usename = 'alice'")" = 1

# Offline for longer: stop accepting alice's logins, kill the backend, and type a command.
psql -Xqc "ALTER ROLE alice NOLOGIN"
psql -XAtc "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'alice'" >/dev/null
check "offline banner" ui_wait_for "offline:" 5
ui_keys :
ui_type "take 2"
ui_keys Enter
check "a command while offline is refused, clearly" ui_wait_for "offline: not sent" 5
psql -Xqc "ALTER ROLE alice LOGIN"
check "reconnects by itself" ui_wait_for "connected as alice" 15
check "banner gone" ui_wait_gone "offline:" 5
want=$(psql -XAtc "SELECT id FROM tuki.queue ORDER BY position LIMIT 20" | tr '\n' ' ')
got=$(ui_screen | awk '/│#  *P/{on=1; next} on && /^└/{exit} on {print}' | sed -n 's/^│\([0-9][0-9]*\) .*/\1/p' | tr '\n' ' ')
check "the queue is right again ($got)" test "$got" = "$want"
ui_keys : Up Enter
check "the refused command is in history, and runs now" ui_wait_for "took #2" 5

ui_keys q
check "quits" ui_wait_exit
check "exit status 0" test "$(ui_exit_status)" = 0
ui_done
