#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Interop, through the tunnel: strongSwan's charon (kernel-libipsec, user-
# space ESP over a TUN) in network namespace ikf-c$$ asks ikefarmd for a
# virtual IP; a second namespace ikf-p$$ is the protected network behind
# ikefarmd's inside port. ikefarmd runs on 2 lcores: an IKE worker and an ESP
# data-path lcore; port 0 is AF_PACKET on a veth into the client's
# namespace, port 1 (inside) a TUN moved into the protected namespace.
#
# Checks: virtual IP from [pool] v4; ping both ways; 3 MB over TCP both
# ways, compared by hash, with ikefarmd's soft byte limit at 1 MB: ikefarmd
# rekeys the Child SA itself (CREATE_CHILD_SA to charon, the old SA deleted)
# during the transfer; Child SA rekey by charon in the middle of a stream;
# DELETE (traffic stops, counted as unknown SPI). charon's fragment_size is
# 160, so its IKE_AUTH and its answers to our CREATE_CHILD_SA rekeys come as
# RFC 7383 Encrypted Fragments, which ikefarmd reassembles. Our rekeys
# offer PFS with ECP-256 then X25519 and send KEi(ECP-256); charon takes
# X25519 only and answers INVALID_KE_PAYLOAD(X25519): ikefarmd asks again
# with X25519 (RFC 7296 1.3). Exits 77 when not root.

# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
set -u

[ "$(id -u)" -eq 0 ] || { echo "SKIP: run_tunnel.sh needs root (netns, veth)"; exit 77; }
interop_install_peers >/dev/null 2>&1 || { echo "FAIL: strongSwan not installable"; exit 1; }

IKEFARMD_BIN=${IKEFARMD_BIN:-$INTEROP_TOP/build/app/ikefarmd/ikefarmd}
NS_C=ikf-c$$
NS_P=ikf-p$$
VETH=ikfo$$ # ours (DPDK AF_PACKET); its peer ikfc$$ is the client's
TUN=ikfi$$
PREFIX=ikefarm-tunnel-$$
TEL=/var/run/dpdk/$PREFIX/dpdk_telemetry.v2
DAEMON_PID=

interop_setup || exit 1
# shellcheck source=tests/interop/tunnel_lib.sh
. "$INTEROP_DIR/tunnel_lib.sh"
tunnel_trap "$VETH"

# --- namespaces and links ---
ip netns add "$NS_C" && ip netns add "$NS_P" &&
ip link add "$VETH" type veth peer name "ikfc$$" &&
ip link set "ikfc$$" netns "$NS_C" &&
ip link set "$VETH" up &&
cn ip link set lo up && cn ip addr add 192.0.2.2/24 dev "ikfc$$" && cn ip link set "ikfc$$" up &&
pn ip link set lo up || { echo "FAIL: namespaces"; exit 1; }
# veth leaves UDP checksums to "hardware": AF_PACKET would see them unfinished.
cn ethtool -K "ikfc$$" tx off >/dev/null && ethtool -K "$VETH" tx off >/dev/null ||
	{ echo "FAIL: ethtool"; exit 1; }
# Linux must not answer on the veth the daemon owns.
sysctl -qw "net.ipv6.conf.$VETH.disable_ipv6=1" 2>/dev/null

# --- ikefarmd: IKE worker on lcore 0, ESP data path on lcore 1 ---
tunnel_credentials
cat >"$INTEROP_RUN/ikefarmd.conf" <<CONF
[log]
level = 6
[runtime]
esp_lcores = 1
[net]
driver = "ethdev"
address = "192.0.2.1/24"
inside_port = 1
inside_address = "10.99.0.1/24"
[pool]
v4 = "10.98.0.0/24"
[ike]
local_id = fqdn:responder.test.example
[child]
rekey_bytes = 1M
proposals = "aes256gcm16-ecp256-x25519"
[auth]
credentials = credentials
CONF
"$IKEFARMD_BIN" -l 0-1 --no-huge --no-pci -m 1024 --file-prefix="$PREFIX" \
	--vdev="net_af_packet0,iface=$VETH" --vdev="net_tun0,iface=$TUN" \
	-- -f "$INTEROP_RUN/ikefarmd.conf" >"$INTEROP_RUN/ikefarmd.log" 2>&1 &
DAEMON_PID=$!
tunnel_wait_daemon "with the ESP data path" || exit 1
interop_check "client reaches ikefarmd's outside address (ARP, ICMP)" \
	cn ping -c 2 -W 2 192.0.2.1
# The protected network: 10.99.0.2 behind the inside TUN, the pool routed to it.
ip link set "$TUN" netns "$NS_P" &&
pn ip addr add 10.99.0.2/24 dev "$TUN" && pn ip link set "$TUN" mtu 1400 up &&
pn ip route add 10.98.0.0/24 dev "$TUN" || { echo "FAIL: inside TUN"; exit 1; }

# --- charon in the client namespace ---
# esp_proposals stays NO_ESN: kernel-libipsec refuses ESN SAs ("IPsec SA: ESN
# not supported", src/libipsec/ipsec_sa.c); run_tunnel_resume.sh covers ESN.
# fragment_size 160: every message above 132 octets in fragments of up to
# 71 octets of payloads (AES-GCM), the answers to our rekeys (about 190
# octets) among them; the answers to our DELETEs (69) stay whole: a size
# that cut them too would cut IKE_AUTH into more than the 32 fragments we
# take (IKE_FRAG_MAX).
TUNNEL_FRAGMENT_SIZE=160 TUNNEL_ESP_PROPOSALS=aes256gcm16-x25519 \
	tunnel_start_charon "$NS_C" "vips = 0.0.0.0" "" ||
	{ echo "FAIL: charon in $NS_C"; exit 1; }

interop_check "initiate IKE_SA + CHILD_SA with a virtual IP" \
	interop_sw initiator --initiate --ike rw --child net --timeout 15
VIP=$(interop_sw initiator --list-sas --raw 2>/dev/null |
	grep -o 'local-vips=\[[0-9.]*' | head -n 1 | sed 's/.*\[//')
interop_check "virtual IP from [pool] v4 (got '${VIP:-none}')" \
	eval 'case "$VIP" in 10.98.0.*) true ;; *) false ;; esac'
interop_check "data path installed the Child SA" eval '[ "$(stat installs)" -ge 1 ]'

interop_check "ping client -> protected host through ESP" cn ping -c 3 -W 2 10.99.0.2
interop_check "ping protected host -> client virtual IP" pn ping -c 3 -W 2 "${VIP:-10.98.0.1}"
interop_check "data path decrypted and encrypted them" \
	eval '[ "$(stat esp_in_pkts)" -ge 6 ] && [ "$(stat esp_out_pkts)" -ge 6 ]'

# --- TCP both ways, compared by hash (python: no netcat on a fresh machine) ---
head -c 3000000 /dev/urandom >"$INTEROP_RUN/blob"
tcp_to_protected() { tcp_stream "$NS_P" "$NS_C" 10.99.0.2 5001 "$INTEROP_RUN/got1" "$INTEROP_RUN/blob"; }
tcp_to_client() { tcp_stream "$NS_C" "$NS_P" "$VIP" 5002 "$INTEROP_RUN/got2" "$INTEROP_RUN/blob"; }
interop_check "TCP 3 MB client -> protected host, same SHA-256" tcp_to_protected
interop_check "TCP 3 MB protected host -> client, same SHA-256" tcp_to_client
# [child] rekey_bytes = 1M: ikefarmd started CREATE_CHILD_SA rekeys, charon
# answered, the new SAs went to the data path and the old ones were deleted.
core() { stat "$1" /ikefarm/stats; }
interop_check "ikefarmd rekeyed the Child SA at its soft byte limit (child_rekey_done $(core child_rekey_done))" \
	eval '[ "$(core child_rekey_done)" -ge 2 ] && [ "$(core child_rekey_refused)" -eq 0 ]'
interop_check "the old SAs were deleted once charon answered (child_rekey_old_deleted)" \
	eval '[ "$(core child_rekey_old_deleted)" -ge 2 ] && [ "$(stat deletes)" -ge 2 ]'
interop_check "charon answered our CREATE_CHILD_SA {N(REKEY_SA)} requests" \
	grep -q "parsed CREATE_CHILD_SA request [0-9]* \[ N(REKEY_SA)" "$INTEROP_RUN/initiator.log"
# charon logs "generating CREATE_CHILD_SA response N [...]" then "splitting
# IKE message ... into K fragments"; every rekey of ours completed on them.
frag_answers() { grep -A1 "generating CREATE_CHILD_SA response" "$INTEROP_RUN/initiator.log" |
	grep -c "splitting IKE message"; }
# charon: "DH group ECP_256 unacceptable, requesting CURVE_25519".
interop_check "charon asked for X25519 (INVALID_KE_PAYLOAD), we asked again with it (child_rekey_invalid_ke_retry $(core child_rekey_invalid_ke_retry))" \
	eval 'grep -q "ECP_256 unacceptable, requesting CURVE_25519" "$INTEROP_RUN/initiator.log" &&
	      [ "$(core child_rekey_invalid_ke_retry)" -ge "$(core child_rekey_done)" ]'
interop_check "charon answered our rekeys in Encrypted Fragments ($(frag_answers)), reassembled (frag_reassembled $(core frag_reassembled))" \
	eval '[ "$(frag_answers)" -ge 2 ] && [ "$(core frag_reassembled)" -gt "$(frag_answers)" ] &&
	      [ "$(core child_rekey_no_answer)" -eq 0 ] && [ "$(core child_rekey_bad_answer)" -eq 0 ]'
# ikefarmctl list-sas: the current Child SA with its data-path counters.
list_sas_counters()
{
	python3 "$INTEROP_DIR/../../app/ikefarmctl/ikefarmctl.py" --file-prefix "$PREFIX" --json \
		list-sas | python3 -c '
import json, sys
sas = json.load(sys.stdin)["sas"]
c = sas[0]["children"][0]["counters"]
sa = sas[0]
# The rekeyed-away Child SAs carried over 6 MB between them: the total carries on.
sys.exit(0 if len(sas) == 1 and c["in"]["packets"] > 0 and c["out"]["packets"] > 0
         and c["in"]["auth"] == 0 and sa["retired_bytes"] > 4000000
         and sa["bytes"] == sa["retired_bytes"] + c["in"]["bytes"] + c["out"]["bytes"] else 1)'
}
interop_check "ikefarmctl list-sas: the Child SA's counters, and the IKE SA's total across the rekeys" \
	list_sas_counters

# --- Child SA rekey in the middle of a stream ---
rekey_mid_stream()
{
	( sleep 1; interop_sw initiator --rekey --child net >/dev/null 2>&1 ) &
	local r=$!
	tcp_stream "$NS_P" "$NS_C" 10.99.0.2 5003 "$INTEROP_RUN/got3" "$INTEROP_RUN/blob" \
		"$INTEROP_RUN/blob" "$INTEROP_RUN/blob"
	local rc=$?
	wait "$r"
	return "$rc"
}
installs_before=$(stat installs)
interop_check "TCP 9 MB with a CHILD_SA rekey in the middle, same SHA-256" rekey_mid_stream
interop_check "the rekey installed a new SA on the data path and removed the old one" \
	eval '[ "$(stat installs)" -gt "$installs_before" ] && [ "$(stat deletes)" -ge 1 ]'
interop_check "ping after the rekey" cn ping -c 2 -W 2 10.99.0.2
# Replaced SAs linger DP_LINGER_S after their delete: no packet charon sent
# on an old SA before switching found it gone, through all the rekeys.
interop_check "no ESP lost to the rekeys (drop_unknown_spi $(stat drop_unknown_spi))" \
	eval '[ "$(stat drop_unknown_spi)" -eq 0 ]' 

# --- DELETE: traffic stops ---
interop_check "terminate (DELETE from the initiator)" \
	interop_sw initiator --terminate --ike rw --timeout 10
interop_check "the data path removed every SA" \
	eval '[ "$(stat deletes)" -eq "$(stat installs)" ]'
interop_check "no traffic after DELETE" eval '! pn ping -c 2 -W 1 "${VIP:-10.98.0.1}"'
interop_check "inside packets without an SA counted (no_sa_out)" \
	eval '[ "$(stat no_sa_out)" -ge 1 ]'

if [ "$INTEROP_FAILS" -ne 0 ]; then
	echo "charon log tail:"; tail -n 15 "$INTEROP_RUN/initiator.log"
	echo "ikefarmd log tail:"; grep -v '^EAL' "$INTEROP_RUN/ikefarmd.log" | tail -n 20
	python3 "$INTEROP_DIR/telemetry.py" get "$TEL" /ikefarm/esp | awk '$2 != 0'
	python3 "$INTEROP_DIR/telemetry.py" get "$TEL" /ikefarm/stats /ikefarm/runtime | awk '$2 != 0'
	exit 1
fi
exit 0
