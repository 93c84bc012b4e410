#!/usr/bin/env bash
# tuki -c 'search …' finds by the words of subjects, messages, contacts and customers whatever
# their case, accents and order; filter customer: takes any case and names an unknown customer.
. "$(dirname "$0")/lib.sh"
ui_fixture

ids() { cut -f1 <<<"$1" | grep -E '^[0-9]+$' | sort -n | tr '\n' ' '; }

out=$("$TUKI" -d user=alice -c 'search katkeilee vpn' 2>&1)
check "search exits 0" test $? = 0
check "'katkeilee vpn' finds 'VPN-yhteys katkeilee' (#4) alone" test "$(ids "$out")" = "4 "
out=$("$TUKI" -d user=alice -c 'search PAIVA CAKA' 2>&1)
check "'PAIVA CAKA' finds 'Päivä čaká' (#2)" test "$(ids "$out")" = "2 "
out=$("$TUKI" -d user=alice -c 'search paivi@acme.fi' 2>&1)
check "a contact's address finds her tickets" test "$(ids "$out")" = "$(psql -XAtc "SELECT string_agg(t.id::text || ' ', '' ORDER BY t.id) FROM tuki.ticket t JOIN tuki.contact c ON c.id = t.contact WHERE c.email = 'paivi@acme.fi'")"
check "#1, #4 and #7 among them" grep -q "^1 4 7 " <<<"$(ids "$out")"
out=$("$TUKI" -d user=alice -c 'search kirahvi' 2>&1)
check "a word nowhere finds no ticket" test -z "$(ids "$out")"

out=$("$TUKI" -d user=alice -c 'filter customer:kone' 2>&1)
check "filter customer:kone exits 0" test $? = 0
check "and lists KONE's tickets" grep -q "^2	P3	standard	KONE" <<<"$out"
out=$("$TUKI" -d user=alice -c 'filter customer:pohjoismetsa' 2>&1)
check "an unknown customer exits 1" test $? = 1
check "and says so" grep -q "TK006: no customer pohjoismetsa" <<<"$out"
ui_done
