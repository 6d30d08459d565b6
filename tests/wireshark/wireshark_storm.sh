#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Wireshark's IKEv2 dissector as an independent parser of what we send:
# dumpcap captures, on lo, storm doing full handshakes (IKE_SA_INIT +
# IKE_AUTH with N(TICKET_REQUEST)) against ikefarmd with tickets on and, when
# storm has the "resume" scenario, resumptions (IKE_SESSION_RESUME +
# IKE_AUTH). `tshark -V` then must parse every IKE message without a
# malformed packet or an expert warning/error, and show the exchange types
# IKE_SA_INIT (34), IKE_AUTH (35), IKE_SESSION_RESUME (38, RFC 5723 4.3.2)
# and N(TICKET_OPAQUE) (16413) in the clear in the IKE_SESSION_RESUME request.
# TICKET_REQUEST and TICKET_LT_OPAQUE travel inside SK {} and are not
# checked: that needs the SA keys in Wireshark's ikev2_decryption_table.
# Both ports carry the non-ESP marker (storm --marker auto, any port but
# 500), so they are decoded as "udpencap", which hands IKE to isakmp.
# Needs root (capture, DPDK runtime dir); exit 77 otherwise or without tshark.
# Usage: wireshark_storm.sh STORM IKEFARMD
set -u

storm=$1
daemon=$2
psk=wireshark-psk-0123456789abcdef
clients=4

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: needs root"
	exit 77
fi
for t in tshark dumpcap; do
	command -v "$t" >/dev/null || { echo "SKIP: no $t"; exit 77; }
done

run=$(mktemp -d /tmp/ikefarm-wireshark.XXXXXX) || exit 1
prefix=ikefarm-wireshark-$$
daemon_pid=
cap_pid=

# shellcheck source=tests/lib/stop_pid.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/stop_pid.sh"

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup()
{
	local rc=$?

	stop_pid "$cap_pid"
	stop_pid "$daemon_pid"
	rm -rf "/var/run/dpdk/$prefix"
	if [ "$rc" -eq 0 ]; then
		rm -rf "$run"
	else
		echo "logs and capture in $run"
	fi
}
trap cleanup EXIT

port=
for p in 5960 5970 5980 5990; do
	if [ -z "$(ss -Hlun "sport = :$p or sport = :$((p + 1))")" ]; then
		port=$p
		break
	fi
done
[ -n "$port" ] || { echo "FAIL: no free UDP port pair"; exit 1; }

resume=0
if "$storm" --list-scenarios 2>/dev/null | grep -qw resume; then
	resume=1
fi

# Users client0@storm.. (storm's default IDs); tickets with a random key.
for i in $(seq 0 $((clients - 1))); do
	printf 'email client%u@storm "%s"\n' "$i" "$psk"
done >"$run/credentials"
chmod 600 "$run/credentials"
cat >"$run/ikefarmd.conf" <<CONF
[ike]
local_id = fqdn:responder.test.example
[child]
ts_start = 127.0.0.0
ts_end = 127.255.255.255
[auth]
credentials = credentials
CONF
tickets='[tickets]
lifetime_s = 600
resumes_per_s = 100'
echo "$tickets" >>"$run/ikefarmd.conf"
if ! "$daemon" -- --check-config -f "$run/ikefarmd.conf" >"$run/check.log" 2>&1; then
	# A daemon without RFC 5723 support: the full handshake only.
	echo "SKIP: ikefarmd has no [tickets]: no resumption captured"
	grep -v -x -F "$tickets" "$run/ikefarmd.conf" >"$run/conf.tmp" &&
		mv "$run/conf.tmp" "$run/ikefarmd.conf"
	resume=0
fi
"$daemon" -l 0 --no-huge --no-pci -m 1024 --file-prefix="$prefix" -- \
	-f "$run/ikefarmd.conf" --listen 127.0.0.1 --port "$port" \
	--natt-port "$((port + 1))" >"$run/ikefarmd.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 100); do
	grep -q "listening on" "$run/ikefarmd.log" && break
	kill -0 "$daemon_pid" 2>/dev/null || { echo "FAIL: ikefarmd exited"; cat "$run/ikefarmd.log"; exit 1; }
	sleep 0.1
done
grep -q "listening on" "$run/ikefarmd.log" || { echo "FAIL: ikefarmd not listening after 10 s"; exit 1; }

dumpcap -q -i lo -f "udp port $port or udp port $((port + 1))" \
	-w "$run/ike.pcapng" >"$run/dumpcap.log" 2>&1 &
cap_pid=$!
for _ in $(seq 100); do
	[ -s "$run/ike.pcapng" ] && break
	sleep 0.1
done
[ -s "$run/ike.pcapng" ] || { echo "FAIL: dumpcap did not start"; cat "$run/dumpcap.log"; exit 1; }

scen=full
[ "$resume" -eq 1 ] && scen=full,resume
timeout 30 "$storm" --target "127.0.0.1:$((port + 1))" --psk "$psk" \
	--clients "$clients" --scenario "$scen" --out "$run/storm" \
	--quiet || { echo "FAIL: storm exited $?"; exit 1; }
sleep 0.5	# dumpcap writes what it has seen
stop_pid "$cap_pid"
cap_pid=

decode=(-d "udp.port==$port,udpencap" -d "udp.port==$((port + 1)),udpencap")
tshark -r "$run/ike.pcapng" "${decode[@]}" -V >"$run/ike.txt" 2>"$run/tshark.err" ||
	{ echo "FAIL: tshark -V"; cat "$run/tshark.err"; exit 1; }
tshark -r "$run/ike.pcapng" "${decode[@]}" -T fields -E separator=';' \
	-e frame.number -e udp.length -e isakmp.exchangetype -e isakmp.flag_r \
	-e isakmp.notify.msgtype -e _ws.malformed -e _ws.expert.severity \
	>"$run/ike.fields" 2>>"$run/tshark.err" ||
	{ echo "FAIL: tshark -T fields"; cat "$run/tshark.err"; exit 1; }

python3 - "$run/ike.fields" "$clients" "$resume" <<'PY' || exit 1
import sys

path, clients, resume = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
# Wireshark's expert severities (epan/proto.h): note 0x400000, warning
# 0x600000, error 0x800000; chat and comment are informational.
WARNING = 0x600000
IKE_SA_INIT, IKE_AUTH, IKE_SESSION_RESUME = "34", "35", "38"
TICKET_OPAQUE = "16413"
rows = [line.rstrip("\n").split(";") for line in open(path) if line.strip()]
ok = True


def check(good, what):
    global ok
    print(("PASS" if good else "FAIL") + ": " + what)
    ok &= bool(good)


def sev(field):
    return max([int(x, 0) for x in field.split(",") if x] or [0])


# Every datagram (but NAT-T keepalives, one octet) must be an IKE message.
ike = [r for r in rows if r[1] and int(r[1]) > 9]
check(len(ike) > 0 and all(r[2] for r in ike),
      "all %d IKE datagrams dissected as ISAKMP" % len(ike))
bad = [r[0] for r in rows if r[5] or sev(r[6]) >= WARNING]
check(not bad, "no malformed packet and no expert warning/error (frames %s)" % bad)
req = lambda x: [r for r in ike if r[2] == x and r[3] in ("0", "False")]
rsp = lambda x: [r for r in ike if r[2] == x and r[3] in ("1", "True")]
check(len(req(IKE_SA_INIT)) >= clients and len(rsp(IKE_SA_INIT)) >= clients,
      "IKE_SA_INIT requests and responses")
check(len(req(IKE_AUTH)) >= clients and len(rsp(IKE_AUTH)) >= clients,
      "IKE_AUTH requests and responses")
if resume:
    rr = req(IKE_SESSION_RESUME)
    check(len(rr) >= clients and len(rsp(IKE_SESSION_RESUME)) >= clients,
          "IKE_SESSION_RESUME requests and responses")
    check(rr and all(TICKET_OPAQUE in r[4].split(",") for r in rr),
          "N(TICKET_OPAQUE) in every IKE_SESSION_RESUME request")
    check(len(req(IKE_AUTH)) >= 2 * clients,
          "an IKE_AUTH after each IKE_SESSION_RESUME")
else:
    print("SKIP: storm has no resume scenario: IKE_SESSION_RESUME not captured")
sys.exit(0 if ok else 1)
PY
if ! grep -q "Exchange type: IKE_SA_INIT (34)" "$run/ike.txt" ||
   ! grep -q "Exchange type: IKE_AUTH (35)" "$run/ike.txt"; then
	echo "FAIL: exchange names missing from tshark -V"
	exit 1
fi
echo "PASS: Wireshark's IKEv2 dissector accepts the capture"
exit 0
