#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Prove tests/interop/lib.sh works by running it against a known-good
# responder: Debian's strongSwan charon configured from conf/ss-responder on
# 127.0.0.1:$SELFTEST_RESP_PORT (default 5500, NAT-T port +1).  For each
# connection of the initiator: initiate IKE_SA + CHILD_SA, check both ends,
# rekey the CHILD_SA and the IKE_SA, delete.  Also a childless IKE_SA.
# Prints PASS/FAIL per check and a summary; exits 1 if any check failed.
# Needs root (mount namespace for the second charon).  Runtime about 10 s.

# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
set -u

resp_port=${SELFTEST_RESP_PORT:-5500}

fail_setup()
{
	echo "FAIL: selftest_harness: $1"
	exit 1
}

# no_ike_sa CONN PEER: true if PEER holds no IKE_SA of CONN.
# shellcheck disable=SC2317 # called through interop_wait_until
no_ike_sa()
{
	[ "$(interop_ike_count "$1" "$2")" -eq 0 ]
}

# full_cycle CONN CHILD RESPONDER_CONN
full_cycle()
{
	local conn=$1 child=$2 rconn=$3 spis

	interop_check "$conn: initiate IKE_SA with CHILD_SA $child" \
		interop_initiate "$conn" "$child"
	interop_check "$conn: IKE_SA ESTABLISHED" \
		interop_ike_established "$conn"
	interop_check "$conn: CHILD_SA $child INSTALLED" \
		interop_child_installed "$conn" "$child"
	interop_check "$conn: responder IKE_SA $rconn ESTABLISHED" \
		interop_ike_established "$rconn" responder
	interop_check "$conn: responder CHILD_SA INSTALLED" \
		interop_child_installed "$rconn" c responder

	spis=$(interop_child_spis "$conn" "$child")
	interop_rekey_child "$child"
	interop_check "$conn: CHILD_SA rekeyed (new SPIs, old SA deleted)" \
		interop_wait_until 10 interop_child_rekeyed "$conn" "$child" "$spis"

	spis=$(interop_ike_spis "$conn")
	interop_rekey_ike "$conn"
	interop_check "$conn: IKE_SA rekeyed (new SPIs, old SA deleted)" \
		interop_wait_until 10 interop_ike_rekeyed "$conn" "$spis"
	interop_check "$conn: CHILD_SA still INSTALLED after IKE rekey" \
		interop_child_installed "$conn" "$child"

	interop_check "$conn: terminate (DELETE)" interop_terminate "$conn"
	interop_check "$conn: no IKE_SA left on the initiator" \
		test "$(interop_ike_count "$conn")" -eq 0
	interop_check "$conn: no IKE_SA left on the responder" \
		interop_wait_until 5 no_ike_sa "$rconn" responder
}

interop_install_peers || fail_setup "cannot install strongSwan"
# shellcheck disable=SC2119 # no DIR: a fresh /tmp directory
interop_setup || fail_setup "no run directory"
interop_start_ss_responder "$resp_port" cert ||
	fail_setup "strongSwan responder did not start"
interop_start_initiator "$resp_port" cert ||
	fail_setup "strongSwan initiator did not start"

full_cycle gcm-x25519 c-gcm rw-psk
full_cycle cbc-ecp256 c-cbc rw-psk
full_cycle cert-ecdsa c-cert rw-cert

interop_check "childless: initiate IKE_SA only" interop_initiate gcm-x25519
interop_check "childless: IKE_SA ESTABLISHED without CHILD_SA" \
	eval 'interop_ike_established gcm-x25519 &&
	! interop_child_installed gcm-x25519 c-gcm'
interop_check "childless: terminate" interop_terminate gcm-x25519

if [ "$INTEROP_FAILS" -ne 0 ]; then
	echo "FAIL: selftest_harness: $INTEROP_FAILS check(s) failed"
	exit 1
fi
echo "PASS: selftest_harness"
exit 0
