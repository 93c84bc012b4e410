#!/usr/bin/env bash
# tuki mail-in hands the message to the running worker over its Unix socket (mail.socket) and
# exits with the worker's answer, given only after the commit; with no worker, a worker that
# cannot store it, or one that dies before answering, it stores the message on a connection
# of its own. Stored once, threaded as a direct delivery is; 75 and nothing stored with the
# database down; the socket 0660, refused to other users; a stale socket replaced.
set -euo pipefail
psql=(psql -X -q -v ON_ERROR_STOP=1)
mail=${TUKI_SOURCE_ROOT:?}/tests/mail
work=$(mktemp -d)
chmod 755 "$work"
worker_pid=
cleanup() {
    [ -n "$worker_pid" ] && kill -CONT "$worker_pid" 2>/dev/null && kill "$worker_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -e "$work/worker.log" ] && sed 's/^/  worker: /' "$work/worker.log"; exit 1; }
q() { "${psql[@]}" -At -c "$1"; }
expect() { local got; got=$(q "$2"); [ "$got" = "$3" ] || fail "$1: got '$got', want '$3'"; echo "ok - $1"; }
sock=$work/run/mail.sock
mkdir "$work/run" "$work/sent"
cat >"$work/tuki.conf" <<EOF2
mail = { from = "Tuki <tuki@vendor.example>"; sendmail = "cat >$work/sent/\$\$.eml"; socket = "$sock"; };
EOF2
# mail-in as the MTA runs it; "nodb" makes its own database connection impossible, so only a
# message the worker stored can exit 0
mailin() { PGUSER=tt_mail "$TUKI" -f "$work/tuki.conf" mail-in "$@"; }
mailin_nodb() { PGHOST=$work/nowhere PGUSER=tt_mail "$TUKI" -f "$work/tuki.conf" mail-in "$@"; }
status_of() { local rc=0; "$@" >"$work/out" 2>"$work/err" || rc=$?; echo "$rc"; }
connections() { grep -c "connected as" "$work/worker.log" 2>/dev/null || true; }
wait_connected() { # until the worker's log says "connected as" $1 times
    for _ in $(seq 1 150); do [ "$(connections)" -ge "$1" ] && [ -S "$sock" ] && return 0; sleep 0.1; done
    return 1
}
start_worker() {
    local before
    before=$(connections)
    PGUSER=tt_mail "$TUKI" -f "$work/tuki.conf" worker 2>>"$work/worker.log" &
    worker_pid=$!
    wait_connected $(( before + 1 )) && return 0
    fail "the worker did not start listening"
}
stop_worker() { kill "$worker_pid"; wait "$worker_pid" || fail "the worker exited $?"; worker_pid=; }
stored() { q "SELECT count(*) FROM tuki.message WHERE message_id = '$1'"; }
# a customer's answer to message $1 with Message-ID $2
reply() {
    printf 'From: =?utf-8?Q?P=C3=A4ivi_M=C3=A4kel=C3=A4?= <paivi.makela@acme.fi>\nTo: tuki@vendor.example\nSubject: RE: Laskutusajo\nMessage-ID: <%s>\nIn-Reply-To: <%s>\nDate: Mon, 30 Nov 2026 10:00:00 +0200\nContent-Type: text/plain; charset=utf-8\n\nVielä yksi asia: ajo käynnistyy klo 2.\n' "$2" "$1"
}
outlook_id=AM0PR02MB4512ABCDEF@AM0PR02MB4512.eurprd02.prod.outlook.com

"${psql[@]}" <<'SQL'
CREATE ROLE tt_mail LOGIN IN ROLE tuki_system;
INSERT INTO tuki.customer (code, name) VALUES ('ACME', 'Acme Oy');
INSERT INTO tuki.contract (customer, service_level, calendar, valid_from) VALUES ('ACME', 'standard', '24x7', '2020-01-01');
INSERT INTO tuki.contact (customer, name, email) VALUES ('ACME', 'Päivi Mäkelä', 'paivi.makela@acme.fi');
SQL

start_worker
[ "$(stat -c %a "$sock")" = 660 ] || fail "the socket is mode $(stat -c %a "$sock"), want 660"
echo "ok - the worker listens at mail.socket, mode 0660"

# handed over: only the worker can have stored these (mail-in itself reaches no database)
rc=$(status_of mailin_nodb <"$mail/01-outlook-fi-alternative-cp1252.eml")
[ "$rc" = 0 ] || fail "a contact's mail over the socket: exit $rc ($(cat "$work/err"))"
grep -qx "tuki mail-in: stored ticket 1 message 1" "$work/out" || fail "mail-in said: $(cat "$work/out")"
echo "ok - a message handed to the worker is stored, and mail-in says so: $(cat "$work/out")"
reply "$outlook_id" handoff-reply@acme.fi >"$work/reply.eml"
rc=$(status_of mailin_nodb <"$work/reply.eml")
[ "$rc" = 0 ] || fail "the answer over the socket: exit $rc ($(cat "$work/err"))"
rc=$(status_of mailin_nodb <"$mail/01-outlook-fi-alternative-cp1252.eml")
[ "$rc" = 0 ] || fail "the same message again: exit $rc"
grep -qx "tuki mail-in: duplicate" "$work/out" || fail "the same message again: $(cat "$work/out")"
expect "handed over twice, stored once" "SELECT count(*) FROM tuki.message WHERE message_id = '$outlook_id'" 1
rc=$(status_of mailin_nodb <"$mail/36-not-a-message.eml")
[ "$rc" = 65 ] || fail "no message over the socket: exit $rc, want 65"
expect "input that is no message is kept byte for byte by the worker too" \
    "SELECT md5(raw) FROM tuki.mail_hold WHERE reason = 'not a message'" \
    "$(md5sum <"$mail/36-not-a-message.eml" | cut -d' ' -f1)"

# a sender that dies halfway (its length line says more than came): nothing stored, no
# answer; the MTA delivers the whole message again and that is stored
sed "s/$outlook_id/cut-$outlook_id/" "$mail/01-outlook-fi-alternative-cp1252.eml" >"$work/cut.eml"
py=/usr/bin/python3
[ -x "$py" ] || py=python3
"$py" - "$sock" "$work/cut.eml" <<'PY' || fail "the cut-off sender"
import socket, sys
raw = open(sys.argv[2], "rb").read()
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b"%d\n" % len(raw) + raw[: len(raw) // 2])
s.shutdown(socket.SHUT_WR)  # as a process that dies: no more bytes
answer = s.recv(100)
sys.exit(f"the worker answered a cut-off message: {answer!r}" if answer else 0)
PY
[ "$(stored "cut-$outlook_id")" = 0 ] || fail "half a message was stored"
rc=$(status_of mailin_nodb <"$work/cut.eml")
[ "$rc" = 0 ] || fail "the whole message after the cut-off one: exit $rc ($(cat "$work/err"))"
expect "a message cut off on the way is not stored; the whole one delivered again is, in full" \
    "SELECT count(*) || ' ' || bool_and(body LIKE '%Terveisin%') FROM tuki.message WHERE message_id = 'cut-$outlook_id'" "1 true"

# the same two mails (other Message-IDs) delivered directly: the same ticket, the same thread
sed "s/$outlook_id/direct-$outlook_id/" "$mail/01-outlook-fi-alternative-cp1252.eml" >"$work/direct.eml"
reply "direct-$outlook_id" direct-reply@acme.fi >"$work/direct-reply.eml"
for f in direct.eml direct-reply.eml; do
    rc=$(status_of mailin --direct <"$work/$f")
    [ "$rc" = 0 ] || fail "--direct: exit $rc ($(cat "$work/err"))"
done
shape="SELECT t.subject || ' ' || t.channel || ' ' || t.status || ' ' || t.contact || ': ' ||
              string_agg(m.author_kind || '/' || m.contact || '/' || m.visibility || '/' || left(m.body, 40), ' | ' ORDER BY m.id)
         FROM tuki.ticket t JOIN tuki.message m ON m.ticket = t.id WHERE t.id = (SELECT ticket FROM tuki.message WHERE message_id = '%s')
        GROUP BY t.id"
# shellcheck disable=SC2059
handed=$(q "$(printf "$shape" "$outlook_id")") direct=$(q "$(printf "$shape" "direct-$outlook_id")")
[ -n "$handed" ] && [ "$handed" = "$direct" ] || fail "handed over: '$handed'; direct: '$direct'"
expect "the answer joined the handed-over ticket, as the contact's words" \
    "SELECT m.ticket || ' ' || m.author_kind FROM tuki.message m WHERE m.message_id = 'handoff-reply@acme.fi'" "1 contact"
echo "ok - handed over or stored directly, the same ticket and thread: $handed"

# -d names a database and --direct asks for it: neither waits for a worker (stopped here)
kill -STOP "$worker_pid"
sed "s/$outlook_id/dashd-$outlook_id/" "$mail/01-outlook-fi-alternative-cp1252.eml" >"$work/dashd.eml"
rc=0; PGUSER=tt_mail timeout 20 "$TUKI" -f "$work/tuki.conf" -d "dbname=$PGDATABASE" mail-in <"$work/dashd.eml" >/dev/null 2>&1 || rc=$?
[ "$rc" = 0 ] || fail "-d with the worker stopped: exit $rc"
expect "with -d mail-in stores on its own connection" "SELECT count(*) FROM tuki.message WHERE message_id = 'dashd-$outlook_id'" 1

# the worker dies with the message in hand: no answer, so mail-in stores it itself
sed "s/$outlook_id/killed-$outlook_id/" "$mail/01-outlook-fi-alternative-cp1252.eml" >"$work/killed.eml"
{ rc=0; mailin <"$work/killed.eml" >"$work/killed.out" 2>&1 || rc=$?; echo "$rc" >"$work/killed.rc"; } &
client=$!
sleep 0.5
[ ! -s "$work/killed.rc" ] || fail "mail-in did not wait for the stopped worker: $(cat "$work/killed.out")"
kill -KILL "$worker_pid"; wait "$worker_pid" 2>/dev/null || true; worker_pid=
wait "$client"
[ "$(cat "$work/killed.rc")" = 0 ] || fail "worker killed mid-message: exit $(cat "$work/killed.rc") ($(cat "$work/killed.out"))"
expect "a worker killed mid-message: mail-in stored it itself, once" "SELECT count(*) FROM tuki.message WHERE message_id = 'killed-$outlook_id'" 1

# no worker (its socket left behind, stale): mail-in stores directly
[ -S "$sock" ] || fail "the killed worker's socket is gone; the stale-socket check needs it"
rc=$(status_of mailin <"$mail/06-android-sk-utf8.eml")
[ "$rc" = 0 ] || fail "no worker: exit $rc ($(cat "$work/err"))"
expect "with no worker listening mail-in stores it on its own connection" \
    "SELECT count(*) FROM tuki.mail_hold WHERE message_id = 'CAM4Z8r+android@mail.gmail.com'" 1
start_worker
grep -q "taking mail from tuki mail-in at $sock" "$work/worker.log" || fail "the new worker did not replace the stale socket"
rc=$(status_of mailin_nodb <"$mail/05-iphone-short.eml")
[ "$rc" = 0 ] || fail "after the stale socket was replaced: exit $rc ($(cat "$work/err"))"
echo "ok - a new worker replaces the stale socket and takes mail again"
PGUSER=tt_mail "$TUKI" -f "$work/tuki.conf" worker 2>"$work/second.log" &
second=$!
sleep 1
kill "$second"; wait "$second" || true
grep -q "another worker listens there" "$work/second.log" || fail "a second worker: $(cat "$work/second.log")"
[ -S "$sock" ] || fail "a second worker removed the first one's socket"
rc=$(status_of mailin_nodb <"$mail/03-thunderbird-sk-iso8859-2.eml")
[ "$rc" = 0 ] || fail "after a second worker came and went: exit $rc"
echo "ok - a second worker leaves the first one's socket alone"

# socket permissions: a user outside the worker's user and group cannot hand mail over
if [ "$(id -u)" = 0 ] && getent passwd nobody >/dev/null; then
    chmod 755 "$work/run"
    cp "$work/reply.eml" "$work/tuki.conf" "$work/run/" && chmod 644 "$work/run/reply.eml" "$work/run/tuki.conf"
    sed "s/handoff-reply@/nobody-reply@/" "$work/reply.eml" >"$work/run/nobody.eml"; chmod 644 "$work/run/nobody.eml"
    # the programs where nobody may run them: the build tree may be private (a clone in mktemp -d);
    # the front finds the program proper beside a build.ninja, as in the build tree
    mkdir -p "$work/run/bin/src" && touch "$work/run/bin/build.ninja"
    cp "$TUKI" "$work/run/bin/tuki" && cp "$(dirname "$TUKI")/src/tuki" "$work/run/bin/src/tuki"
    chmod -R a+rX "$work/run/bin"
    rc=0; runuser -u nobody -- env PGUSER=tt_mail "$work/run/bin/tuki" -f "$work/run/tuki.conf" mail-in <"$work/run/nobody.eml" >"$work/out" 2>&1 || rc=$?
    [ "$rc" = 75 ] || fail "as nobody: exit $rc, want 75 (refused by the socket, no database of its own): $(cat "$work/out")"
    [ "$(stored nobody-reply@acme.fi)" = 0 ] || fail "nobody's mail was stored through the socket"
    echo "ok - another user is refused by the socket (0660) and, without a database login, gets 75"
    chmod 700 "$work/run"
else
    echo "ok - # not root: the refusal of other users is not checked here, only the mode"
fi

# the database stopped with the worker running: 75, nothing stored; stored once after
pgbin=$(dirname "$(command -v pg_ctl 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")
as_server() { if [ "$(id -u)" = 0 ]; then runuser -u "$(stat -c %U "$TUKI_TEST_PGDATA")" -- "$@"; else "$@"; fi; }
sed "s/$outlook_id/down-$outlook_id/" "$mail/01-outlook-fi-alternative-cp1252.eml" >"$work/down.eml"
as_server "$pgbin/pg_ctl" -D "$TUKI_TEST_PGDATA" -m fast -w stop >/dev/null
rc=$(status_of mailin <"$work/down.eml")
[ "$rc" = 75 ] || fail "database stopped, worker running: exit $rc, want 75 ($(cat "$work/err"))"
echo "ok - with the database stopped and the worker running mail-in exits 75: $(head -1 "$work/err")"
kill -0 "$worker_pid" || fail "the worker died with the database"
as_server "$pgbin/pg_ctl" -D "$TUKI_TEST_PGDATA" -w -t 60 -l "$(dirname "$TUKI_TEST_PGDATA")/server.log" \
    -o "-c listen_addresses= -k $PGHOST -c fsync=off" start >/dev/null
[ "$(stored "down-$outlook_id")" = 0 ] || fail "stored while the database was down"
echo "ok - nothing was stored while it was down"
for _ in 1 2; do
    rc=$(status_of mailin <"$work/down.eml")
    [ "$rc" = 0 ] || fail "after the restart: exit $rc ($(cat "$work/err"))"
done
expect "after the restart the MTA's retries store it once" "SELECT count(*) FROM tuki.message WHERE message_id = 'down-$outlook_id'" 1
wait_connected 3 || fail "the worker did not reconnect"
sed "s/$outlook_id/again-$outlook_id/" "$mail/01-outlook-fi-alternative-cp1252.eml" >"$work/again.eml"
rc=$(status_of mailin_nodb <"$work/again.eml")
[ "$rc" = 0 ] || fail "over the socket after the worker reconnected: exit $rc ($(cat "$work/err"))"
echo "ok - the worker reconnected and takes mail over the socket again"

# the program proper (what the front runs) hands over too when run itself
sed "s/$outlook_id/proper-$outlook_id/" "$mail/01-outlook-fi-alternative-cp1252.eml" >"$work/proper.eml"
rc=0; PGHOST=$work/nowhere PGUSER=tt_mail "$(dirname "$TUKI")/src/tuki" -f "$work/tuki.conf" mail-in <"$work/proper.eml" >"$work/out" 2>&1 || rc=$?
[ "$rc" = 0 ] || fail "build/src/tuki mail-in over the socket: exit $rc ($(cat "$work/out"))"
echo "ok - the program proper hands over as the front does"

# mail that keeps coming goes first, but holds sending up for a second at most (then a batch
# goes): the notices of the tickets it opens go out while it is still coming
sent_before=$(ls "$work/sent" | wc -l)
{
    for i in $(seq 1 100000); do
        [ -e "$work/stop-burst" ] && break
        sed "s/$outlook_id/burst$i-$outlook_id/; s/^Subject: .*/Subject: Burst $i/" "$mail/01-outlook-fi-alternative-cp1252.eml" | mailin >/dev/null 2>&1
    done
} &
burst=$!
sleep 4
sent_during=$(( $(ls "$work/sent" | wc -l) - sent_before ))
opened=$(q "SELECT count(*) FROM tuki.ticket WHERE subject LIKE 'Burst %'")
kill -0 "$burst" || fail "the burst of mail ended early"
touch "$work/stop-burst"; wait "$burst"
[ "$opened" -gt 40 ] || fail "only $opened mails of the burst were stored in 4 s"
# a batch (8) a second at least: two by the fourth second whatever the machine's load
[ "$sent_during" -ge 16 ] || fail "$sent_during notices sent in 4 s of incoming mail ($opened tickets opened), want 16 or more"
echo "ok - while mail kept coming (4 s, $opened tickets opened) the worker still sent $sent_during notices"

stop_worker
[ ! -e "$sock" ] || fail "the socket is left after SIGTERM"
grep -q "mails taken from the socket" "$work/worker.log" || fail "no count of mails taken"
echo "ok - on SIGTERM the worker exits 0 and removes its socket: $(grep stopping "$work/worker.log" | tail -1)"
echo "all hand-off checks passed"
