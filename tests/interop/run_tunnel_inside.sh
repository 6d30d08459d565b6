#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Interop, through the tunnel, with the inside port on Ethernet: ikefarmd's
# inside port is a DPDK af_packet port on a veth into the protected
# namespace ikf-q$$ (10.99.0.2/24, routes to the clients via ikefarmd's
# inside address 10.99.0.1, which ikefarmd answers ARP for). strongSwan's
# charon (kernel-libipsec) in namespace ikf-d$$ is the client.
#
# Case "eth" (1 IKE worker, 1 data-path lcore, charon asks a virtual IP):
#   ping and 3 MB over TCP both ways (SHA-256 compared); 1500-octet pings
#   both ways without DF (-M dont): from the protected host ikefarmd sends
#   the ESP packet in fragments; with DF (-M do) from the protected host
#   ikefarmd answers ICMP "fragmentation needed" with the MTU that exactly
#   fits (checked: one octet more is refused, that size passes); with DF
#   from the client (1400 octets: its TUN's MTU) over a 1300-octet path, the
#   client's ESP arrives in fragments and is reassembled before decryption.
# Case "subnet" (1 IKE worker, 2 data-path lcores sharing a core, charon
#   site-to-site with TSi 10.97.0.0/24): the protected host reaches
#   addresses of the subnet that hash to either lcore (ping, TCP).
# Case "mtu" ([net] inside_mtu = 1280 on the inside link, below the 1400 of
#   the client's TUN): a 1400-octet ping without DF from the client reaches
#   the protected host in fragments, which it reassembles (its replies come
#   back through the tunnel); with DF the client gets ICMP "fragmentation
#   needed" with exactly 1280 from ikefarmd's inside address through the
#   tunnel (checked: 1280 passes with DF, one octet more is refused).
# Case "v6" (dual-stack inside: inside_address6 = fd99::1/64 next to the
#   IPv4 one; the client asks an IPv6 virtual IP from [pool] v6, the
#   protected network is fd99::/64, the tunnel stays IPv4): ping6 of
#   ikefarmd's inside address (ND, echo), ping6 both ways, and ICMPv6
#   "packet too big" with exactly 1280 back through the tunnel.
# Case "dual" (one Child SA for both families: charon asks vips =
#   0.0.0.0,:: with remote_ts 10.99.0.0/24,fd99::/64, ikefarmd has [child]
#   ts_start6/ts_end6 next to the IPv4 range): both virtual IPs, one
#   CHILD_SA whose selectors hold both, one install on the data path; ping
#   and ping6 both ways through it, and again after charon rekeys it.
# Exits 77 when not root.

# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
set -u

[ "$(id -u)" -eq 0 ] || { echo "SKIP: run_tunnel_inside.sh needs root (netns, veth)"; exit 77; }
interop_install_peers >/dev/null 2>&1 || { echo "FAIL: strongSwan not installable"; exit 1; }

IKEFARMD_BIN=${IKEFARMD_BIN:-$INTEROP_TOP/build/app/ikefarmd/ikefarmd}
NS_C=ikf-d$$
NS_P=ikf-q$$
VETH_O=ikfo$$ # outside, ours (DPDK af_packet); its peer ikfc$$ is the client's
VETH_I=ikfj$$ # inside, ours; its peer ikfp$$ is the protected host's
PREFIX=ikefarm-inside-$$
TEL=/var/run/dpdk/$PREFIX/dpdk_telemetry.v2
DAEMON_PID=

interop_setup || exit 1
# shellcheck source=tests/interop/tunnel_lib.sh
. "$INTEROP_DIR/tunnel_lib.sh"
tunnel_trap "$VETH_O" "$VETH_I"

# --- namespaces and links: both of ikefarmd's ports are veths it reads with af_packet ---
ip netns add "$NS_C" && ip netns add "$NS_P" &&
ip link add "$VETH_O" type veth peer name "ikfc$$" &&
ip link add "$VETH_I" type veth peer name "ikfp$$" &&
ip link set "ikfc$$" netns "$NS_C" && ip link set "ikfp$$" netns "$NS_P" &&
ip link set "$VETH_O" up && ip link set "$VETH_I" up &&
cn ip link set lo up && cn ip addr add 192.0.2.2/24 dev "ikfc$$" && cn ip link set "ikfc$$" up &&
pn ip link set lo up && pn ip addr add 10.99.0.2/24 dev "ikfp$$" && pn ip link set "ikfp$$" up &&
pn ip route add 10.98.0.0/24 via 10.99.0.1 && pn ip route add 10.97.0.0/24 via 10.99.0.1 ||
	{ echo "FAIL: namespaces"; exit 1; }
# veths leave checksums to "hardware": af_packet would see them unfinished, and
# the data path encrypts inner packets as they are (docs/operating.md).
for dev in "$VETH_O" "$VETH_I"; do
	ethtool -K "$dev" tx off >/dev/null || { echo "FAIL: ethtool"; exit 1; }
	# Linux must not answer on the veths the daemon owns.
	sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1" 2>/dev/null
done
cn ethtool -K "ikfc$$" tx off >/dev/null && pn ethtool -K "ikfp$$" tx off >/dev/null ||
	{ echo "FAIL: ethtool"; exit 1; }
tunnel_credentials

# start_daemon ESP_LCORES INSIDE_QUEUES EAL_LCORES [NET-LINES [MORE-SECTIONS]]
start_daemon()
{
	cat >"$INTEROP_RUN/ikefarmd.conf" <<CONF
[log]
level = 6
[runtime]
esp_lcores = $1
[net]
driver = "ethdev"
address = "192.0.2.1/24"
inside_port = 1
inside_address = "10.99.0.1/24"
${4:-}
[pool]
v4 = "10.98.0.0/24"
v6 = "fd98::/112"
[ike]
local_id = fqdn:responder.test.example
[auth]
credentials = credentials
${5:-}
CONF
	"$IKEFARMD_BIN" --lcores "$3" --no-huge --no-pci -m 1024 --file-prefix="$PREFIX" \
		--vdev="net_af_packet0,iface=$VETH_O" \
		--vdev="net_af_packet1,iface=$VETH_I,qpairs=$2" \
		-- -f "$INTEROP_RUN/ikefarmd.conf" >"$INTEROP_RUN/ikefarmd.log" 2>&1 &
	DAEMON_PID=$!
	tunnel_wait_daemon "with an Ethernet inside port"
}

head -c 3000000 /dev/urandom >"$INTEROP_RUN/blob"

# The MTU a "fragmentation needed" announced for DST, as the protected host's kernel learnt it.
learnt_mtu() { pn ip route get "$1" | grep -o 'mtu [0-9]*' | awk '{ print $2 }'; }

# ping -M "do" of the protected host: refused with the exact MTU that fits the tunnel.
pmtu_exact()	# pmtu_exact DST
{
	local dst=$1 mtu
	pn ip route flush cache >/dev/null 2>&1
	pn ping -c 1 -W 2 -s 1472 -M "do" "$dst" >"$INTEROP_RUN/ping-do" 2>&1 && return 1
	grep -q -i 'frag needed\|message too long\|mtu' "$INTEROP_RUN/ping-do" || return 1
	mtu=$(learnt_mtu "$dst")
	echo "    ikefarmd announced MTU ${mtu:-none} for $dst"
	[ -n "$mtu" ] && [ "$mtu" -ge 1400 ] && [ "$mtu" -lt 1500 ] || return 1
	# That size passes with DF; one octet more is refused (locally: the learnt PMTU).
	pn ping -c 2 -W 2 -s $((mtu - 28)) -M "do" "$dst" >/dev/null &&
		! pn ping -c 1 -W 2 -s $((mtu - 27)) -M "do" "$dst" >/dev/null 2>&1
}

# A path MTU of 1300 from the client to ikefarmd: the client's kernel sends
# its ESP packets of a 1400-octet inner packet as IP fragments, which must be
# reassembled before ikefarmd decrypts them (the reply comes back whole).
client_esp_fragmented()
{
	local before after ok=0
	cn ip route add 192.0.2.1/32 dev "ikfc$$" mtu 1300 || return 1
	before=$(cn nstat -asz IpFragCreates | awk '$1 == "IpFragCreates" { print $2 }')
	cn ping -c 2 -W 2 -s 1372 -M "do" 10.99.0.2 || ok=1
	after=$(cn nstat -asz IpFragCreates | awk '$1 == "IpFragCreates" { print $2 }')
	cn ip route del 192.0.2.1/32 dev "ikfc$$"
	echo "    client fragments created: $((after - before))"
	[ "$ok" -eq 0 ] && [ "$after" -gt "$before" ]
}

case_eth()
{
	echo "--- case eth: inside port on Ethernet (af_packet), virtual IP ---"
	start_daemon 1 1 "0@0,1@1" || { INTEROP_FAILS=$((INTEROP_FAILS + 1)); return; }
	tunnel_start_charon "$NS_C" "vips = 0.0.0.0" "" ||
		{ echo "FAIL: charon in $NS_C"; INTEROP_FAILS=$((INTEROP_FAILS + 1)); return; }
	interop_check "initiate IKE_SA + CHILD_SA with a virtual IP" \
		interop_sw initiator --initiate --ike rw --child net --timeout 15
	VIP=$(interop_sw initiator --list-sas --raw 2>/dev/null |
		grep -o 'local-vips=\[[0-9.]*' | head -n 1 | sed 's/.*\[//')
	VIP=${VIP:-10.98.0.1}
	interop_check "protected host reaches ikefarmd's inside address (ARP, ICMP echo)" \
		pn ping -c 2 -W 2 10.99.0.1
	interop_check "ping client -> protected host (next hop resolved by ARP)" \
		cn ping -c 3 -W 2 10.99.0.2
	interop_check "ping protected host -> client virtual IP" pn ping -c 3 -W 2 "$VIP"
	interop_check "TCP 3 MB client -> protected host, same SHA-256" \
		tcp_stream "$NS_P" "$NS_C" 10.99.0.2 5001 "$INTEROP_RUN/got1" "$INTEROP_RUN/blob"
	interop_check "TCP 3 MB protected host -> client, same SHA-256" \
		tcp_stream "$NS_C" "$NS_P" "$VIP" 5002 "$INTEROP_RUN/got2" "$INTEROP_RUN/blob"
	interop_check "1500-octet ping, no DF, protected host -> client (outer fragments)" \
		pn ping -c 2 -W 2 -s 1472 -M dont "$VIP"
	# The client's TUN (kernel-libipsec) has MTU 1400: its kernel cuts a
	# 1500-octet ping without DF into two inner fragments, and refuses one with DF.
	interop_check "1500-octet ping, no DF, client -> protected host" \
		cn ping -c 2 -W 2 -s 1472 -M dont 10.99.0.2
	interop_check "1400-octet ping, DF, client -> protected host, client's ESP in fragments" \
		client_esp_fragmented
	interop_check "1500-octet ping, DF, protected host -> client: ICMP frag needed, exact MTU" \
		pmtu_exact "$VIP"
	interop_check "data path: ESP sent in fragments, ICMP too-big sent, nothing unresolved" \
		eval '[ "$(stat esp_out_frag)" -ge 2 ] && [ "$(stat too_big_icmp)" -ge 1 ] &&
		      [ "$(stat esp_in_pkts)" -ge 10 ]'
	dump
	interop_sw initiator --terminate --ike rw --timeout 10 >/dev/null 2>&1
	tunnel_stop_daemon
	pn ip route flush cache >/dev/null 2>&1
}

# The data-path lcore (of 2) inside packets to IPv4 address $1 are steered to (dp_owner: FNV-1a).
lcore_of()
{
	python3 -c 'import sys
h = 2166136261
for b in bytes(int(x) for x in sys.argv[1].split(".")):
    h = ((h ^ b) * 16777619) & 0xffffffff
print(h % 2)' "$1"
}

case_subnet()
{
	local owner a same="" other=""
	echo "--- case subnet: site-to-site TSi 10.97.0.0/24, 2 data-path lcores ---"
	# The SA lives on the lcore of its TSi's first address; find subnet hosts on both.
	owner=$(lcore_of 10.97.0.0)
	for a in $(seq 1 40); do
		if [ "$(lcore_of "10.97.0.$a")" = "$owner" ]; then
			same=${same:-10.97.0.$a}
		else
			other=${other:-10.97.0.$a}
		fi
	done
	cn ip addr add "$same/32" dev lo && cn ip addr add "$other/32" dev lo ||
		{ echo "FAIL: subnet addresses"; INTEROP_FAILS=$((INTEROP_FAILS + 1)); return; }
	echo "    SA on lcore $owner; $same hashes there, $other to the other lcore"
	# Lcores 1 and 2 (the data path) share the second core.
	start_daemon 2 2 "0@0,1@1,2@1" || { INTEROP_FAILS=$((INTEROP_FAILS + 1)); return; }
	tunnel_start_charon "$NS_C" "" "local_ts = 10.97.0.0/24" ||
		{ echo "FAIL: charon in $NS_C"; INTEROP_FAILS=$((INTEROP_FAILS + 1)); return; }
	interop_check "initiate IKE_SA + CHILD_SA for 10.97.0.0/24 === 10.99.0.0/24" \
		interop_sw initiator --initiate --ike rw --child net --timeout 15
	interop_check "the other lcore learnt the subnet route" \
		interop_wait_until 5 eval '[ "$(stat routes_synced)" -ge 1 ]'
	interop_check "ping protected host -> $same (SA's own lcore)" pn ping -c 3 -W 2 "$same"
	interop_check "ping protected host -> $other (forwarded to the SA's lcore)" \
		pn ping -c 3 -W 2 "$other"
	interop_check "ping $other -> protected host" cn ping -c 3 -W 2 -I "$other" 10.99.0.2
	interop_check "TCP 3 MB protected host -> $other, same SHA-256" \
		tcp_stream "$NS_C" "$NS_P" "$other" 5003 "$INTEROP_RUN/got3" "$INTEROP_RUN/blob"
	export TCP_SRC=$other
	interop_check "TCP 3 MB $other -> protected host, same SHA-256" \
		tcp_stream "$NS_P" "$NS_C" 10.99.0.2 5004 "$INTEROP_RUN/got4" "$INTEROP_RUN/blob"
	unset TCP_SRC
	interop_check "inside packets were forwarded between the lcores, none without SA" \
		eval '[ "$(stat inside_forwarded)" -ge 3 ] && [ "$(stat no_sa_out)" -eq 0 ]'
	dump
	interop_sw initiator --terminate --ike rw --timeout 10 >/dev/null 2>&1
	tunnel_stop_daemon
}

# The inside link's MTU on both ends (ikefarmd's veth and the protected host's).
inside_link_mtu()
{
	ip link set "$VETH_I" mtu "$1" && pn ip link set "ikfp$$" mtu "$1"
}

# A counter of the protected host's kernel (nstat: IpReasmOKs, ...).
pn_nstat() { pn nstat -asz "$1" | awk -v k="$1" '$1 == k { print $2 }'; }

# ping -s 1372 (1400 octets, the client's TUN MTU) without DF to the
# protected host: ikefarmd cuts it to the inside MTU, the host reassembles.
inside_fragmented()
{
	local before after
	before=$(pn_nstat IpReasmOKs)
	cn ping -c 2 -W 2 -s 1372 -M dont 10.99.0.2 || return 1
	after=$(pn_nstat IpReasmOKs)
	echo "    protected host reassembled $((after - before)) datagrams"
	[ "$((after - before))" -ge 2 ]
}

# With DF (-M do; ping6 never fragments on the way): the client's kernel
# learns exactly MTU from ikefarmd's ICMP through the tunnel.
# client_pmtu_exact 4|6 DST MTU
client_pmtu_exact()
{
	local fam=$1 dst=$2 want=$3 hdr=28 mtu
	[ "$fam" = 6 ] && hdr=48
	cn ip -"$fam" route flush cache >/dev/null 2>&1
	cn ping -"$fam" -c 1 -W 2 -s $((1400 - hdr)) -M "do" "$dst" >"$INTEROP_RUN/ping-do" 2>&1
	sleep 0.5
	mtu=$(cn ip -"$fam" route get "$dst" | grep -o 'mtu [0-9]*' | awk '{ print $2 }')
	echo "    client learnt MTU ${mtu:-none} for $dst"
	[ "$mtu" = "$want" ] &&
		cn ping -"$fam" -c 2 -W 2 -s $((want - hdr)) -M "do" "$dst" >/dev/null &&
		! cn ping -"$fam" -c 1 -W 2 -s $((want - hdr + 1)) -M "do" "$dst" >/dev/null 2>&1
}

case_mtu()
{
	echo "--- case mtu: inside MTU 1280 below the tunnel's 1400 ---"
	inside_link_mtu 1280 || { echo "FAIL: inside MTU"; INTEROP_FAILS=$((INTEROP_FAILS + 1)); return; }
	start_daemon 1 1 "0@0,1@1" "inside_mtu = 1280" || { INTEROP_FAILS=$((INTEROP_FAILS + 1)); return; }
	tunnel_start_charon "$NS_C" "vips = 0.0.0.0" "" ||
		{ echo "FAIL: charon in $NS_C"; INTEROP_FAILS=$((INTEROP_FAILS + 1)); return; }
	interop_check "initiate IKE_SA + CHILD_SA with a virtual IP" \
		interop_sw initiator --initiate --ike rw --child net --timeout 15
	interop_check "ping client -> protected host" cn ping -c 2 -W 2 10.99.0.2
	interop_check "1400-octet ping, no DF, client -> protected host: fragmented, reassembled" \
		inside_fragmented
	interop_check "1400-octet ping, DF, client -> protected host: ICMP frag needed, MTU 1280" \
		client_pmtu_exact 4 10.99.0.2 1280
	interop_check "data path: fragments and ICMP through the tunnel counted, none dropped" \
		eval '[ "$(stat inside_frag)" -ge 2 ] && [ "$(stat inside_too_big_icmp)" -ge 1 ] &&
		      [ "$(stat inside_frag_nobuf)" -eq 0 ]'
	dump
	interop_sw initiator --terminate --ike rw --timeout 10 >/dev/null 2>&1
	tunnel_stop_daemon
	inside_link_mtu 1500
}

case_v6()
{
	local vip6
	echo "--- case v6: dual-stack inside (inside_address6), IPv6 virtual IP ---"
	pn ip -6 addr add fd99::2/64 dev "ikfp$$" nodad && pn ip -6 route add fd98::/112 via fd99::1 &&
		inside_link_mtu 1280 ||
		{ echo "FAIL: IPv6 inside"; INTEROP_FAILS=$((INTEROP_FAILS + 1)); return; }
	start_daemon 1 1 "0@0,1@1" 'inside_address6 = "fd99::1/64"
inside_mtu = 1280' '[child]
ts_start = fd99::
ts_end = fd99::ffff:ffff:ffff:ffff' || { INTEROP_FAILS=$((INTEROP_FAILS + 1)); return; }
	TUNNEL_REMOTE_TS=fd99::/64 tunnel_start_charon "$NS_C" "vips = ::" "" ||
		{ echo "FAIL: charon in $NS_C"; INTEROP_FAILS=$((INTEROP_FAILS + 1)); return; }
	interop_check "initiate IKE_SA + CHILD_SA with an IPv6 virtual IP" \
		interop_sw initiator --initiate --ike rw --child net --timeout 15
	vip6=$(interop_sw initiator --list-sas --raw 2>/dev/null |
		grep -o 'local-vips=\[[0-9a-f:]*' | head -n 1 | sed 's/.*\[//')
	echo "    client's IPv6 virtual IP: ${vip6:-none}"
	interop_check "protected host reaches inside_address6 (ND, ICMPv6 echo)" \
		pn ping -6 -c 2 -W 2 fd99::1
	interop_check "ping6 client -> protected host" cn ping -6 -c 3 -W 2 fd99::2
	interop_check "ping6 protected host -> client virtual IP" \
		eval '[ -n "$vip6" ] && pn ping -6 -c 3 -W 2 "$vip6"'
	interop_check "1400-octet ping6 client -> protected host: packet too big, MTU 1280" \
		client_pmtu_exact 6 fd99::2 1280
	dump
	interop_sw initiator --terminate --ike rw --timeout 10 >/dev/null 2>&1
	tunnel_stop_daemon
	inside_link_mtu 1500
}

# The first address of the family (4 or 6) in "local-vips=[A B]" of charon's SA list.
client_vip()
{
	interop_sw initiator --list-sas --raw 2>/dev/null | grep -o 'local-vips=\[[^]]*' |
		head -n 1 | sed 's/.*\[//' | tr ' ' '\n' |
		if [ "$1" = 6 ]; then grep ':'; else grep '\.'; fi | head -n 1
}

# Ping and ping6 both ways between the client and the protected host (of each
# ping's two, the first may meet an unresolved next hop on the inside).
both_families()
{
	cn ping -c 2 -W 2 10.99.0.2 >/dev/null && cn ping -6 -c 2 -W 2 fd99::2 >/dev/null &&
		pn ping -c 2 -W 2 "$1" >/dev/null && pn ping -6 -c 2 -W 2 "$2" >/dev/null
}

case_dual()
{
	local vip4 vip6 spis
	echo "--- case dual: one Child SA for an IPv4 and an IPv6 virtual IP ---"
	pn ip -6 addr replace fd99::2/64 dev "ikfp$$" nodad &&
		pn ip -6 route replace fd98::/112 via fd99::1 ||
		{ echo "FAIL: IPv6 inside"; INTEROP_FAILS=$((INTEROP_FAILS + 1)); return; }
	start_daemon 1 1 "0@0,1@1" 'inside_address6 = "fd99::1/64"' '[child]
ts_start = 10.99.0.0
ts_end = 10.99.0.255
ts_start6 = fd99::
ts_end6 = fd99::ffff:ffff:ffff:ffff' || { INTEROP_FAILS=$((INTEROP_FAILS + 1)); return; }
	TUNNEL_REMOTE_TS=10.99.0.0/24,fd99::/64 tunnel_start_charon "$NS_C" "vips = 0.0.0.0,::" "" ||
		{ echo "FAIL: charon in $NS_C"; INTEROP_FAILS=$((INTEROP_FAILS + 1)); return; }
	interop_check "initiate IKE_SA + CHILD_SA asking both families" \
		interop_sw initiator --initiate --ike rw --child net --timeout 15
	vip4=$(client_vip 4)
	vip6=$(client_vip 6)
	echo "    client's virtual IPs: ${vip4:-none} ${vip6:-none}"
	interop_sw initiator --list-sas --raw 2>/dev/null >"$INTEROP_RUN/dual-sas"
	interop_check "one CHILD_SA, its local selectors both virtual IPs" \
		eval '[ -n "$vip4" ] && [ -n "$vip6" ] &&
		      [ "$(grep -o "local-ts=" "$INTEROP_RUN/dual-sas" | wc -l)" -eq 1 ] &&
		      grep -q "local-ts=\[$vip4/32 $vip6/128\]" "$INTEROP_RUN/dual-sas"'
	interop_check "ping and ping6 both ways through the one Child SA" both_families "$vip4" "$vip6"
	interop_check "data path: one Child SA installed, both families carried, none unrouted" \
		eval '[ "$(stat installs)" -eq 1 ] && [ "$(stat esp_in_pkts)" -ge 6 ] &&
		      [ "$(stat esp_out_pkts)" -ge 6 ] && [ "$(stat no_sa_out)" -eq 0 ]'
	spis=$(interop_child_spis rw net)
	interop_rekey_child net
	interop_check "charon rekeys the Child SA" \
		interop_wait_until 10 eval '[ "$(stat installs)" -eq 2 ] && [ "$(stat deletes)" -ge 1 ] &&
					    [ "$(interop_child_spis rw net)" != "$spis" ]'
	interop_check "the rekeyed Child SA carries both families" both_families "$vip4" "$vip6"
	dump
	interop_sw initiator --terminate --ike rw --timeout 10 >/dev/null 2>&1
	tunnel_stop_daemon
}

# On a failure: the daemon's counters, while it still runs.
dump()
{
	[ "$INTEROP_FAILS" -ne 0 ] || return 0
	python3 "$INTEROP_DIR/telemetry.py" get "$TEL" /ikefarm/esp | awk '$2 != 0'
	python3 "$INTEROP_DIR/telemetry.py" get "$TEL" /ikefarm/esp_inside | awk '$2 != 0'
	python3 "$INTEROP_DIR/telemetry.py" get "$TEL" /ikefarm/stats /ikefarm/runtime | awk '$2 != 0'
}

for c in ${INSIDE_CASES:-eth subnet mtu v6 dual}; do
	"case_$c"
done

if [ "$INTEROP_FAILS" -ne 0 ]; then
	echo "charon log tail:"; tail -n 15 "$INTEROP_RUN/initiator.log"
	echo "ikefarmd log tail:"; grep -v '^EAL' "$INTEROP_RUN/ikefarmd.log" | tail -n 20
	exit 1
fi
exit 0
