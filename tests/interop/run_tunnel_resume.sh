#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Resumption through the tunnel (issue 11): a client whose IKE SA is gone
# resumes with its RFC 5723 ticket, gets the same virtual IP and its traffic
# flows again, at the same gateway and at a second one of the farm.
#
# No real peer does both RFC 5723 and user-space ESP (strongSwan has no
# RFC 5723; libreswan has it but needs kernel ESP, absent here), so the
# client is tunnel_client: the project's initiator (lib/initiator) with
# lib/esp on the ipsec-mb driver, in network namespace ikf-c$$, speaking
# IKE and UDP-encapsulated ESP over plain UDP sockets.
#
# Two ikefarmd (A: 192.0.2.1, B: 192.0.3.1), each on 2 lcores (IKE worker +
# ESP data path), an AF_PACKET veth into the client's namespace and an
# inside TUN into its own protected namespace (10.99.0.2 behind each).
# They share the ticket key file and the pool 10.98.0.0/24, A new leases
# from slice 1/2 and B from 2/2 ([pool] member).
#
# Checks: virtual IP from A's slice; ESN negotiated with A (its proposals
# prefer it), NO_ESN with B (the default set), pings through both; the client forgets
# its IKE SA without DELETE and resumes at A: same virtual IP, pings through
# the new Child SA, the old Child SA's packets unanswered and counted by A
# (drop_unknown_spi); it forgets again and resumes at B with the ticket the
# resumption gave: same virtual IP (outside B's slice), pings through B.
# Exits 77 when not root.

# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
set -u

[ "$(id -u)" -eq 0 ] || { echo "SKIP: run_tunnel_resume.sh needs root (netns, veth)"; exit 77; }

IKEFARMD_BIN=${IKEFARMD_BIN:-$INTEROP_TOP/build/app/ikefarmd/ikefarmd}
TUNNEL_CLIENT=${TUNNEL_CLIENT:-$INTEROP_TOP/build/tests/interop/tunnel_client}
NS_C=ikf-rc$$
PIDS=()

cleanup()
{
	local rc=$? p

	for p in "${PIDS[@]}"; do
		stop_pid "$p" ikefarmd
	done
	for g in a b; do
		ip netns del "ikf-r$g$$" 2>/dev/null
		ip link del "ikfo$g$$" 2>/dev/null
		rm -rf "/var/run/dpdk/ikefarm-tres-$g-$$"
	done
	ip netns del "$NS_C" 2>/dev/null
	(exit "$rc")
	interop_cleanup
}

interop_setup || exit 1
trap cleanup EXIT

tel() # tel GW KEY [CMD]: one telemetry value of gateway GW (a or b)
{
	python3 "$INTEROP_DIR/telemetry.py" get "/var/run/dpdk/ikefarm-tres-$1-$$/dpdk_telemetry.v2" \
		"${3:-/ikefarm/esp}" | awk -v k="$2" '$1 == k { print $2; f = 1 } END { exit !f }'
}

cn() { ip netns exec "$NS_C" "$@"; }

ip netns add "$NS_C" && cn ip link set lo up || { echo "FAIL: client namespace"; exit 1; }
printf 'fqdn initiator.test.example "%s"\n' "$INTEROP_PSK" >"$INTEROP_RUN/credentials"
now=$(date +%s)
printf '5e11e7a1 %s %s %s\n' $((now - 60)) $((now + 86400)) "$(openssl rand -hex 32)" \
	>"$INTEROP_RUN/ticket-keys"
chmod 600 "$INTEROP_RUN/credentials" "$INTEROP_RUN/ticket-keys"

# start_gw GW NET MEMBER LCORES ESP: gateway GW at 192.0.NET.1, client side .2,
# inside TUN into namespace ikf-rGW$$ (10.99.0.2), pool slice MEMBER, [child]
# proposals ESP.
start_gw()
{
	local gw=$1 net=$2 member=$3 lcores=$4 esp=$5 pns=ikf-r$1$$ veth=ikfo$1$$ cv=ikfc$1$$
	local tun=ikfi$1$$
	local prefix=ikefarm-tres-$gw-$$ pid

	ip netns add "$pns" && ip netns exec "$pns" ip link set lo up &&
	ip link add "$veth" type veth peer name "$cv" && ip link set "$cv" netns "$NS_C" &&
	ip link set "$veth" up &&
	cn ip addr add "192.0.$net.2/24" dev "$cv" && cn ip link set "$cv" up || return 1
	# veth leaves UDP checksums to "hardware": AF_PACKET would see them unfinished.
	cn ethtool -K "$cv" tx off >/dev/null && ethtool -K "$veth" tx off >/dev/null || return 1
	sysctl -qw "net.ipv6.conf.$veth.disable_ipv6=1" 2>/dev/null
	cat >"$INTEROP_RUN/$gw.conf" <<CONF
[log]
level = 6
[runtime]
esp_lcores = 1
[net]
driver = "ethdev"
address = "192.0.$net.1/24"
inside_port = 1
inside_address = "10.99.0.1/24"
[pool]
v4 = "10.98.0.0/24"
member = "$member"
[ike]
local_id = fqdn:responder.test.example
[child]
proposals = "$esp"
[auth]
credentials = credentials
[tickets]
key_file = ticket-keys
lifetime_s = 600
resumes_per_s = 100
CONF
	"$IKEFARMD_BIN" -l "$lcores" --no-huge --no-pci -m 512 --file-prefix="$prefix" \
		--vdev="net_af_packet0,iface=$veth" --vdev="net_tun0,iface=$tun" \
		-- -f "$INTEROP_RUN/$gw.conf" >"$INTEROP_RUN/$gw.log" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	for _ in $(seq 150); do
		tel "$gw" lcores >/dev/null 2>&1 && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if ! tel "$gw" lcores >/dev/null 2>&1; then
		echo "FAIL: ikefarmd $gw did not come up"
		tail -n 30 "$INTEROP_RUN/$gw.log"
		return 1
	fi
	ip link set "$tun" netns "$pns" &&
	ip netns exec "$pns" ip addr add 10.99.0.2/24 dev "$tun" &&
	ip netns exec "$pns" ip link set "$tun" mtu 1400 up &&
	ip netns exec "$pns" ip route add 10.98.0.0/24 dev "$tun"
}

# Both on lcores 0-1 (the IKE worker, then the ESP data path): this
# machine's two cores; each daemon polls, so they share them.
# The client offers ESN and NO_ESN: A prefers ESN, B (the default set) NO_ESN,
# so the resumed session at B runs 32-bit sequence numbers again.
start_gw a 2 1/2 0-1 "aes256gcm16-esn-noesn" || { echo "FAIL: gateway a"; exit 1; }
start_gw b 3 2/2 0-1 "default" || { echo "FAIL: gateway b"; exit 1; }
interop_check "client reaches gateway a (ARP, ICMP)" cn ping -c 2 -W 2 192.0.2.1
interop_check "client reaches gateway b (ARP, ICMP)" cn ping -c 2 -W 2 192.0.3.1

cn timeout 120 "$TUNNEL_CLIENT" "$INTEROP_PSK" initiator.test.example 10.99.0.2 \
	192.0.2.2:192.0.2.1 192.0.3.2:192.0.3.1 >"$INTEROP_RUN/client.out" 2>&1
client_rc=$?
sed 's/^/  client: /' "$INTEROP_RUN/client.out"
interop_check "tunnel_client: every step passed" [ "$client_rc" -eq 0 ]

esns=$(awk '$1 == "esn" { printf "%s", $2 }' "$INTEROP_RUN/client.out")
interop_check "ESN at gateway a (twice), NO_ESN at gateway b (got '$esns')" [ "$esns" = 110 ]
vips=$(awk '$1 == "vip" { print $2 }' "$INTEROP_RUN/client.out" | sort -u)
interop_check "one virtual IP throughout, from gateway a's slice 1/2 (got '$vips')" \
	eval 'case "$vips" in 10.98.0.*) [ "${vips##*.}" -le 127 ] ;; *) false ;; esac'
interop_check "gateway a: 2 Child SAs installed (first, resumed), the first removed" \
	eval '[ "$(tel a installs)" -eq 2 ] && [ "$(tel a deletes)" -ge 1 ]'
unanswered=$(awk '$1 == "old-sa-unanswered" { print $2 }' "$INTEROP_RUN/client.out")
interop_check "gateway a counted the old Child SA's ${unanswered:-0} packets (drop_unknown_spi)" \
	eval '[ "${unanswered:-0}" -gt 0 ] && [ "$(tel a drop_unknown_spi)" -ge "$unanswered" ]'
interop_check "gateway a: the pings went both ways through its data path" \
	eval '[ "$(tel a esp_in_pkts)" -ge 10 ] && [ "$(tel a esp_out_pkts)" -ge 10 ]'
interop_check "gateway b: resumed from a's ticket, its data path carried the pings" \
	eval '[ "$(tel b installs)" -eq 1 ] && [ "$(tel b esp_in_pkts)" -ge 5 ] &&
	      [ "$(tel b esp_out_pkts)" -ge 5 ]'

if [ "$INTEROP_FAILS" -ne 0 ]; then
	for gw in a b; do
		echo "ikefarmd $gw log tail:"; grep -v '^EAL' "$INTEROP_RUN/$gw.log" | tail -n 20
		python3 "$INTEROP_DIR/telemetry.py" get \
			"/var/run/dpdk/ikefarm-tres-$gw-$$/dpdk_telemetry.v2" /ikefarm/esp | awk '$2 != 0'
	done
	exit 1
fi
exit 0
