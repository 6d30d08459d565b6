#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Interop: Debian's strongSwan charon as INITIATOR against ikefarmd on
# 127.0.0.1:$IKEFARMD_PORT (NAT-T port +1; charon moves IKE_AUTH to its
# port_nat_t because kernel-libipsec fakes a NAT).  Each check looks at
# both ends: swanctl --list-sas on the initiator and ikefarmd's telemetry.
#
#	run_ikefarmd.sh CASE
#
# CASE: psk-gcm   PSK, x25519 + AES-GCM, then DELETE from the initiator
#       psk-cbc   PSK, ecp256 + AES-CBC/HMAC-SHA256, then DELETE
#       rekey     CHILD_SA rekey, then IKE_SA rekey (CREATE_CHILD_SA)
#       dpd       liveness checks from the initiator (dpd_delay 1 s)
#       garbage   hundreds of malformed datagrams, then a handshake still
#                 works and only drop counters moved
# Prints PASS/FAIL per check; exits 1 if any failed, 77 when not root.
# Stops every process it started (by PID), also on failure.

# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/interop/ikefarmd_lib.sh
. "$(dirname "$0")/ikefarmd_lib.sh"
set -u

case_name=${1:-}

fail_setup()
{
	echo "FAIL: $case_name: $1"
	exit 1
}

# no_sa_left CONN: neither end holds an IKE_SA any more.
no_sa_left()
{
	[ "$(interop_ike_count "$1")" -eq 0 ] && ikefarmd_stat_is ike_sas -eq 0
}

# establish CONN CHILD: initiate and check both ends.
establish()
{
	local conn=$1 child=$2

	interop_check "$conn: initiate IKE_SA + CHILD_SA $child" \
		interop_initiate "$conn" "$child"
	interop_check "$conn: initiator IKE_SA ESTABLISHED" \
		interop_ike_established "$conn"
	interop_check "$conn: initiator CHILD_SA $child INSTALLED" \
		interop_child_installed "$conn" "$child"
	interop_check "$conn: ikefarmd holds 1 IKE SA, 0 half-open" \
		eval 'ikefarmd_stat_is ike_sas -eq 1 && ikefarmd_stat_is half_open -eq 0'
	interop_check "$conn: ikefarmd counted auth_ok and child_installed" \
		eval 'ikefarmd_stat_is auth_ok -ge 1 && ikefarmd_stat_is child_installed -ge 1'
}

# delete CONN: INFORMATIONAL { D } from the initiator; both ends forget it.
delete()
{
	local conn=$1

	interop_check "$conn: terminate (DELETE from the initiator)" \
		interop_terminate "$conn"
	interop_check "$conn: no IKE SA left on either end" \
		interop_wait_until 5 no_sa_left "$conn"
	interop_check "$conn: ikefarmd counted info_delete_ike" \
		ikefarmd_stat_is info_delete_ike -ge 1
}

case_psk_gcm()
{
	establish gcm-x25519 c-gcm
	delete gcm-x25519
}

case_psk_cbc()
{
	establish cbc-ecp256 c-cbc
	delete cbc-ecp256
}

case_rekey()
{
	local spis

	establish gcm-x25519 c-gcm
	spis=$(interop_child_spis gcm-x25519 c-gcm)
	interop_rekey_child c-gcm
	interop_check "rekey: CHILD_SA rekeyed on the initiator (new SPIs, old gone)" \
		interop_wait_until 10 interop_child_rekeyed gcm-x25519 c-gcm "$spis"
	interop_check "rekey: ikefarmd counted child_rekeyed" \
		ikefarmd_stat_is child_rekeyed -ge 1

	spis=$(interop_ike_spis gcm-x25519)
	interop_rekey_ike gcm-x25519
	interop_check "rekey: IKE_SA rekeyed on the initiator (new SPIs, old gone)" \
		interop_wait_until 10 interop_ike_rekeyed gcm-x25519 "$spis"
	interop_check "rekey: CHILD_SA still INSTALLED after the IKE rekey" \
		interop_child_installed gcm-x25519 c-gcm
	interop_check "rekey: ikefarmd counted ike_rekeyed, holds 1 IKE SA" \
		eval 'ikefarmd_stat_is ike_rekeyed -ge 1 &&
		      interop_wait_until 5 ikefarmd_stat_is ike_sas -eq 1'
	# The rekeyed SA answers too: delete it through its new SPIs.
	delete gcm-x25519
}

case_dpd()
{
	local before

	if ! interop_render "$INTEROP_CONF/initiator/swanctl-dpd.conf.in" \
		"$INTEROP_RUN/initiator.swanctl/swanctl.conf" \
		"LOCAL_ADDR=$INTEROP_LOCAL_ADDR" "TARGET_ADDR=127.0.0.1" \
		"TARGET_PORT=$IKEFARMD_PORT" "IKE_GCM=$INTEROP_IKE_GCM" \
		"ESP_GCM=$INTEROP_ESP_GCM" || ! interop_load initiator; then
		fail_setup "cannot load the dpd connection"
	fi
	establish dpd-gcm c-dpd
	before=$(ikefarmd_stat info_liveness)
	# dpd_delay = 1s: charon checks after a second without traffic.
	interop_check "dpd: ikefarmd answered liveness checks" \
		interop_wait_until 10 ikefarmd_stat_is info_liveness -ge $((before + 2))
	interop_check "dpd: initiator IKE_SA still ESTABLISHED" \
		interop_ike_established dpd-gcm
	# shellcheck disable=SC2016 # expanded by eval
	interop_check "dpd: initiator logged no DPD timeout" \
		eval '! grep -q "giving up after" "$INTEROP_RUN/initiator.log"'
	delete dpd-gcm
}

# Counters that may move while malformed datagrams are dropped: receive
# and poll bookkeeping, and the drop counters (drop_*, and io_* for what
# the packet device drops before any worker sees it).
garbage_allowed()
{
	case $1 in
	rx | rx_pkts | proto_pkts | loops | timers_fired | redirect_in | \
	redirect_out | drop_* | io_rx_runt | io_rx_truncated | io_esp | \
	io_natt_keepalive) return 0 ;;
	esac
	return 1
}

case_garbage()
{
	local before=$INTEROP_RUN/tel-before.json after=$INTEROP_RUN/tel-after.json
	local moved=$INTEROP_RUN/tel-moved name delta bad=0 drops=0 sent

	ikefarmd_tel_json /ikefarm/stats >"$before" || fail_setup "no telemetry"
	sent=$(python3 "$INTEROP_DIR/garbage.py" 127.0.0.1 "$IKEFARMD_PORT" \
		"$IKEFARMD_NATT_PORT" | awk '/^garbage: sent/ { print $3 }')
	interop_check "garbage: sent ${sent:-no} malformed datagrams" test -n "$sent"
	# Let the workers drain their sockets and redirect rings.
	sleep 1
	ikefarmd_tel_json /ikefarm/stats >"$after" || fail_setup "no telemetry"
	python3 "$INTEROP_DIR/telemetry.py" moved "$before" "$after" >"$moved"
	while read -r name delta; do
		echo "  $name +$delta"
		if ! garbage_allowed "$name"; then
			bad=$((bad + 1))
		elif [[ $name == drop_* || $name == io_* ]]; then
			drops=$((drops + delta))
		fi
	done <"$moved"
	interop_check "garbage: only receive and drop counters moved" test "$bad" -eq 0
	interop_check "garbage: each datagram counted by one drop counter ($drops of ${sent:-?})" \
		test "$drops" -eq "${sent:-0}"
	interop_check "garbage: no SA or half-open SA was created" \
		eval 'ikefarmd_stat_is ike_sas -eq 0 && ikefarmd_stat_is half_open -eq 0'
	interop_check "garbage: daemon still running" kill -0 "$IKEFARMD_PID"
	establish gcm-x25519 c-gcm
	delete gcm-x25519
}

case $case_name in
psk-gcm | psk-cbc | rekey | dpd | garbage) ;;
*) echo "usage: $0 psk-gcm|psk-cbc|rekey|dpd|garbage" >&2; exit 2 ;;
esac
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: $case_name: needs root (mount namespace for charon)"
	exit 77
fi
interop_install_peers || fail_setup "cannot install strongSwan"
ikefarmd_setup || fail_setup "no run directory"
# shellcheck disable=SC2119 # no extra config lines
ikefarmd_start || fail_setup "ikefarmd did not start"
interop_start_initiator "$IKEFARMD_PORT" ||
	fail_setup "strongSwan initiator did not start"

"case_${case_name//-/_}"

# shellcheck disable=SC2016 # expanded by eval
interop_check "$case_name: ikefarmd exits cleanly on SIGTERM" \
	eval 'ikefarmd_stop && [ "$IKEFARMD_EXIT" -eq 0 ] &&
	      ikefarmd_log_grep "wiping shard secrets"'
echo "$case_name: $INTEROP_FAILS failed"
[ "$INTEROP_FAILS" -eq 0 ]
