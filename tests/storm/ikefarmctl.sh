#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# ikefarmctl against a running ikefarmd (storm clients on 127.0.0.1):
#  - list-sas while a storm (full handshakes, then resume/rekey/delete) runs:
#    every page parses, pages go across both workers;
#  - afterwards the JSON listing has exactly /ikefarm/stats' ike_sas SAs,
#    --id and --peer filter it, the human listing names them;
#  - terminate --id and --spi: the SA is gone, "terminated" counts it, a
#    DELETE request went out (tx grows), the event says why;
#  - the event log: established, rekeyed, resumed, deleted, auth-failed lines;
#  - reload-creds: users added and removed while SAs are up; an IKE proposal
#    added to the config file (a client refused before is taken after, the
#    SAs established before stay and rekey); a bad credentials or proposal
#    line is refused (FILE:LINE) and changes nothing;
#  - a second daemon with [log] events_per_s = 1: a storm's events are
#    suppressed, counted in events_suppressed and summed up in a line.
# Usage: ikefarmctl.sh STORM IKEFARMD IKEFARMCTL
set -u

storm=$1
bin=$2
ctlpy=$3
. "$(dirname "$0")/storm_daemon.sh"

psk=ctl-psk-0123456789abcdef
sd_workdir ikefarmctl-test
dir=$SD_DIR
fail()
{
	echo "FAIL: $*"
	[ -n "${port:-}" ] && tail -n 20 "$dir/ikefarmd-$port.log"
	exit 1
}
ctl()
{
	python3 "$ctlpy" --file-prefix "$SD_PREFIX" "$@"
}
count_json()
{
	python3 -c 'import json, sys; print(len(json.load(sys.stdin)["sas"]))'
}
# storm NAME ARGS...: prints "completed failed failure-names" summed over the phases
# (storm exits 0 whatever the operations' fate; its storm.json has it).
storm_run()
{
	local out=$dir/$1

	shift
	timeout 60 "$storm" --target "127.0.0.1:$port" --psk "$psk" --quiet --out "$out" "$@" \
		>"$out.log" 2>&1 || return 1
	python3 - "$out/storm.json" <<'PY'
import json, sys
ph = json.load(open(sys.argv[1]))["phases"]
print(sum(p["completed"] for p in ph), sum(p["failed"] for p in ph),
      ",".join(sorted({k for p in ph for k in p["failures"]})) or "-")
PY
}

port=$(sd_free_port 5760) || fail "no free UDP port pair"
sd_users "$dir" 300 "$psk"
sd_config "$dir"
# One IKE proposal (storm's default), so that section 6 can add one.
ike_old=aes256gcm16-prfsha256-x25519
ike_new=aes128-sha256-ecp256
sd_option "$dir" ike proposals "$ike_old" || fail "no [ike] proposals"
sd_start "$bin" "$dir" "$port" || fail "daemon did not start"

# 1. Listing while a storm runs.
timeout 90 "$storm" --target "127.0.0.1:$port" --clients 300 --psk "$psk" --ticket \
	--scenario full,mixed --duration 8 --rate 400 --out "$dir/storm" --quiet &
storm_pid=$!
sleep 2
lists=0
while kill -0 "$storm_pid" 2>/dev/null; do
	n=$(ctl --json list-sas | count_json) || fail "list-sas during the storm"
	lists=$((lists + 1))
	sleep 0.3
done
wait "$storm_pid"
rc=$?
[ "$rc" -eq 0 ] || fail "storm exited $rc"
[ "$lists" -ge 3 ] || fail "only $lists listings during the storm"
echo "listed $lists times during the storm (last: $n SAs)"

# 2. After the storm: the listing agrees with the SA gauge, and filters.
ctl --json list-sas >"$dir/sas.json" || fail "list-sas --json"
want=$(sd_stat ike_sas)
got=$(count_json <"$dir/sas.json")
[ "$got" = "$want" ] && [ "$got" -gt 100 ] || fail "list-sas: $got SAs, ike_sas $want"
read -r id spi peer shards <<<"$(python3 -c '
import json, sys
sas = json.load(open(sys.argv[1]))["sas"]
print(sas[0]["id"], sas[-1]["spi_r"], sas[0]["remote"].rsplit("[", 1)[0],
      len({s["shard"] for s in sas}))' "$dir/sas.json")"
[ "$shards" -ge 2 ] || fail "the listing covers $shards shard(s)"
[ "$(ctl --json list-sas --id "$id" | count_json)" = 1 ] || fail "list-sas --id $id"
[ "$(ctl --json list-sas --peer "$peer" | count_json)" = "$got" ] || fail "list-sas --peer"
[ "$(ctl --json list-sas --peer 192.0.2.1 | count_json)" = 0 ] || fail "list-sas --peer other"
ctl list-sas --id "$id" | grep -q "^$id: ESTABLISHED" || fail "human list-sas"
ctl list-sas | tail -n 1 | grep -qx "$got IKE SAs" || fail "human list-sas total"

# 3. terminate by identity and by SPI: gone, counted, a DELETE request sent.
tx0=$(sd_stat tx_pkts)
ctl terminate --id "$id" | grep -qx "terminated: 1 IKE SA" || fail "terminate --id $id"
ctl terminate --spi "$spi" | grep -qx "terminated: 1 IKE SA" || fail "terminate --spi $spi"
[ "$(ctl --json list-sas --id "$id" | count_json)" = 0 ] || fail "$id still listed"
ctl --json list-sas | grep -q "\"$spi\"" && fail "SA $spi still listed"
[ "$(sd_stat terminated)" = 2 ] || fail "terminated counter $(sd_stat terminated)"
[ "$(sd_stat ike_sas)" = $((got - 2)) ] || fail "ike_sas $(sd_stat ike_sas) after terminate"
[ "$(sd_stat tx_pkts)" -ge $((tx0 + 2)) ] || fail "no DELETE request sent"
ctl terminate --id email:nobody@storm | grep -qx "terminated: 0 IKE SAs" ||
	fail "terminate of an unknown identity"
ctl terminate --spi zz 2>/dev/null && fail "terminate --spi zz accepted"
ctl --json stats | python3 -c 'import json, sys; s = json.load(sys.stdin)
assert s["shards"] >= 2 and s["auth_ok"] >= 1 and s["rx_pkts"] >= 1' ||
	fail "stats --json"

# 4. A wrong PSK and an unknown identity: auth-failed events with the identity.
timeout 30 "$storm" --target "127.0.0.1:$port" --clients 2 --psk wrong-psk-0123456789abcdef \
	--timeout 2000 --quiet >/dev/null 2>&1
timeout 30 "$storm" --target "127.0.0.1:$port" --clients 1 --psk "$psk" \
	--id-format 'stranger%u@storm' --timeout 2000 --quiet >/dev/null 2>&1
log=$dir/ikefarmd-$port.log
for ev in established rekeyed resumed deleted; do
	grep -q "ikefarm: event $ev: shard [0-9]* peer 127.0.0.1\[[0-9]*\] IDi email:client" "$log" ||
		fail "no '$ev' event line"
done
grep -q "event resumed: .* ticket key [0-9a-f]\{8\}$" "$log" || fail "resumed without its ticket key"
grep -q "event deleted: .*IDi $id .*reason: terminated by the operator" "$log" ||
	fail "no deleted event for $id"
grep -q "event deleted: .*reason: peer sent DELETE" "$log" || fail "no deleted-by-peer event"
grep -q "event auth-failed: .*IDi email:client0@storm .*AUTHENTICATION_FAILED" "$log" ||
	fail "no auth-failed event for a wrong PSK"
grep -q "event auth-failed: .*IDi email:stranger0@storm " "$log" ||
	fail "no auth-failed event for an unknown identity"

# 5. reload-creds while SAs are up: client0..4 removed, three new users.
ctl --json list-sas >"$dir/before.json" || fail "list-sas before reload"
sed -i '/^email client[0-4]@storm /d' "$dir/credentials"
for i in 0 1 2; do echo "email newuser$i@storm \"$psk\""; done >>"$dir/credentials"
out=$(ctl reload-creds) || fail "reload-creds: $out"
echo "$out" | grep -q "295 users kept, 3 added, 5 removed$" || fail "reload-creds said: $out"
ctl --json list-sas >"$dir/after.json" || fail "list-sas after reload"
python3 - "$dir/before.json" "$dir/after.json" <<'PY' || fail "SAs after reload-creds"
import json, re, sys
before = {s["spi_r"]: s["id"] for s in json.load(open(sys.argv[1]))["sas"]}
after = {s["spi_r"]: s["id"] for s in json.load(open(sys.argv[2]))["sas"]}
removed = {k for k, v in before.items() if re.fullmatch(r"email:client[0-4]@storm", v)}
kept = set(before) - removed
assert removed, "no SA of a removed user before the reload"
assert not removed & set(after), "a removed user's SA survived"
assert kept <= set(after), "%d SAs of kept users lost" % len(kept - set(after))
print("reload-creds: %d SAs kept, %d of removed users deleted" % (len(kept), len(removed)))
PY
grep -q "event deleted: .*IDi email:client[0-4]@storm .*reason: user removed from the credentials" \
	"$log" || fail "no deleted event for a removed user"
[ "$(storm_run s5 --clients 3 --id-format 'newuser%u@storm')" = "3 0 -" ] ||
	fail "a new user cannot connect"
timeout 30 "$storm" --target "127.0.0.1:$port" --clients 1 --psk "$psk" --timeout 2000 \
	--quiet >/dev/null 2>&1
sed -n '/credentials reloaded/,$p' "$log" | grep -q "event auth-failed: .*IDi email:client0@storm " ||
	fail "removed user client0@storm not refused"
[ "$(ctl --json list-sas --id client0@storm | count_json)" = 0 ] || fail "client0@storm has an SA"
[ "$(ctl --json list-sas --id newuser2@storm | count_json)" = 1 ] || fail "new user's SA not listed"
echo "# bad line" >>"$dir/credentials"
echo "bogus" >>"$dir/credentials"
ctl reload-creds >/dev/null 2>&1 && fail "a bad credentials file was accepted"
[ "$(ctl --json list-sas --id newuser2@storm | count_json)" = 1 ] || fail "bad reload dropped SAs"
sed -i '/^# bad line$/d; /^bogus$/d' "$dir/credentials"

# 6. reload-creds with proposals. Before: a client offering only $ike_new is refused.
refused0=$(sd_stat init_no_proposal_sent)
got=$(storm_run s6a --clients 1 --proposal "$ike_new" --id-format 'client1%u@storm' --timeout 2000)
[ "$got" = "0 1 no-proposal-chosen" ] || fail "$ike_new before the reload: $got"
[ "$(sd_stat init_no_proposal_sent)" -gt "$refused0" ] || fail "no NO_PROPOSAL_CHOSEN sent"
grep -q "event refused: .* NO_PROPOSAL_CHOSEN" "$log" || fail "no refused event"
# Storm's SAs come up, the reload adds $ike_new between two phases, then they rekey.
cat >"$dir/reload.sh" <<END
set -e
python3 "$ctlpy" --file-prefix "$SD_PREFIX" --json list-sas >"$dir/before6.json"
sed -i '/^\[ike\]/,/^\[/ s/^proposals = .*/proposals = $ike_old, $ike_new/' "$dir/ikefarmd.conf"
python3 "$ctlpy" --file-prefix "$SD_PREFIX" reload-creds >"$dir/reload6.out"
python3 "$ctlpy" --file-prefix "$SD_PREFIX" --json list-sas >"$dir/after6.json"
END
got=$(storm_run s6b --clients 20 --id-format 'client2%u@storm' --scenario full,rekey \
	--between-phases "sh $dir/reload.sh")
[ "$got" = "40 0 -" ] || fail "SAs across the reload (full + rekey): $got"
[ -s "$dir/after6.json" ] || fail "the reload between the phases did not run"
grep -q "^proposals reloaded from $dir/ikefarmd.conf: 2 IKE, 2 ESP$" "$dir/reload6.out" ||
	fail "reload-creds said: $(cat "$dir/reload6.out")"
grep -q "users kept, 0 added, 0 removed$" "$dir/reload6.out" || fail "credentials not reloaded"
python3 - "$dir/before6.json" "$dir/after6.json" <<'PY' || fail "SAs after the proposals reload"
import json, sys
before = {s["spi_r"] for s in json.load(open(sys.argv[1]))["sas"]}
after = {s["spi_r"] for s in json.load(open(sys.argv[2]))["sas"]}
assert len(before) >= 20, "only %d SAs before the reload" % len(before)
assert before == after, "%d SAs lost" % len(before - after)
print("proposals reload: %d SAs kept" % len(after))
PY
grep -q "event rekeyed: .*IDi email:client2[0-9]*@storm .*proposal AES_GCM_16-256" "$log" ||
	fail "no rekey of an SA established before the reload"
got=$(storm_run s6c --clients 1 --proposal "$ike_new" --id-format 'client1%u@storm')
[ "$got" = "1 0 -" ] || fail "$ike_new after the reload: $got"
grep -q "event established: .*IDi email:client10@storm .*proposal AES_CBC-128" "$log" ||
	fail "no established event on $ike_new"
# A bad proposal line: FILE:LINE: reason, non-zero, nothing changed.
sed -i '/^\[ike\]/,/^\[/ s/^proposals = .*/proposals = aes256gcm16-prfsha256-x25519, aes999-foo/' \
	"$dir/ikefarmd.conf"
line=$(grep -n "aes999-foo" "$dir/ikefarmd.conf" | cut -d: -f1)
out=$(ctl reload-creds 2>&1) && fail "a bad proposal line was accepted: $out"
echo "$out" | grep -q "^$dir/ikefarmd.conf:$line: .*aes999" || fail "reload-creds said: $out"
got=$(storm_run s6d --clients 1 --proposal "$ike_new" --id-format 'client11%u@storm')
[ "$got" = "1 0 -" ] || fail "the bad reload changed the proposals: $got"
[ "$(ctl --json list-sas | count_json)" = "$(sd_stat ike_sas)" ] || fail "list-sas after the bad reload"
echo "reload-creds: $ike_new refused, added, taken; a bad line refused at line $line"
sd_stop
sd_users "$dir" 300 "$psk"
sd_option "$dir" ike proposals default || fail "no [ike] proposals"

# 7. The rate limit: one line a second, a burst of 5, per worker.
port=$(sd_free_port $((port + 2))) || fail "no free UDP port pair"
sd_option "$dir" log events_per_s 1 && sd_option "$dir" log events_burst 5 ||
	fail "no [log] events_per_s"
sd_start "$bin" "$dir" "$port" || fail "daemon did not start"
timeout 60 "$storm" --target "127.0.0.1:$port" --clients 300 --psk "$psk" --quiet >/dev/null ||
	fail "storm exited $?"
sleep 1.5 # a token for the summary line
log=$dir/ikefarmd-$port.log
lines=$(grep -c "ikefarm: event established" "$log")
supp=$(sd_stat events_suppressed)
[ $((lines + supp)) -eq 300 ] || fail "$lines event lines + $supp suppressed != 300"
[ "$supp" -ge 250 ] || fail "only $supp suppressed"
grep -q "event log: shard [0-9]*: [0-9]* events not logged (rate limit)" "$log" ||
	fail "no summary line"
echo "PASS: list-sas during a storm, terminate --id/--spi, events; rate limit: $lines lines, $supp suppressed"
