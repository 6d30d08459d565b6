#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Interop: libreswan's pluto as INITIATOR against ikefarmd on
# $LSW_TARGET_ADDR:$IKEFARMD_PORT (127.0.0.2:5500).  Debian's 4.10 comes from
# scripts/install-peers.sh, 5.4 is built once from ../shared/peers/src/ into
# the build directory (tests/interop/libreswan/build5.sh).  Each check looks
# at both ends: pluto's states and log, ikefarmd's telemetry.
#
#	run_libreswan.sh CASE
#
# CASE (v4-*: libreswan 4.10, v5-*: libreswan 5.4):
#   v4-default, v5-default  PSK with libreswan's default IKE and ESP
#                           proposals: accepted, with the KE group ikefarmd
#                           prefers among those offered
#   v4-gcm, v5-gcm          PSK, AES-GCM-256 + x25519
#   v4-rekey, v5-rekey      IKE SA rekey (CREATE_CHILD_SA) from pluto
#   v4-intermediate         RFC 9242: one empty IKE_INTERMEDIATE (intermediate=yes),
#                           its IntAuth in both AUTH payloads (5.4 runs none
#                           without additional key exchanges: see v5-addke)
#   v5-addke                RFC 9370: ADDKE1 = ECP-256, ADDKE2 = MODP-2048, one
#                           IKE_INTERMEDIATE each, keys updated after each
#   v5-addke-rekey          RFC 9370 2.2.4: the v5-addke IKE SA rekeyed by pluto
#                           (whack --rekey-ike): CREATE_CHILD_SA, then one
#                           IKE_FOLLOWUP_KE per additional key exchange, the
#                           new IKE SA's keys from all the secrets
#   v5-resume               RFC 5723: ticket in IKE_AUTH, then
#                           IKE_SESSION_RESUME with it (libreswan's AUTH form,
#                           credentials flag resume-auth=libreswan)
# No kernel ESP here, so ikefarmd refuses pluto's Child SA by its TSr
# (TS_UNACCEPTABLE) after accepting its ESP proposal; the IKE SA stays.
# Prints PASS/FAIL per check; exits 1 if any failed, 77 when not root or
# (loudly) when libreswan 5.4 cannot be built (no source tarball).
# Stops every process it started (by PID), also on failure.

# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/interop/ikefarmd_lib.sh
. "$(dirname "$0")/ikefarmd_lib.sh"
# shellcheck source=tests/interop/libreswan/lsw_lib.sh
. "$(dirname "$0")/libreswan/lsw_lib.sh"
set -u

case_name=${1:-}
IKEFARMD_LISTEN=$LSW_TARGET_ADDR

fail_setup()
{
	echo "FAIL: $case_name: $1"
	exit 1
}

# establish CONN: initiate; the IKE SA is up on both ends and stays up with
# the Child SA refused by its TS (so its proposal was accepted).
establish()
{
	local conn=$1

	interop_check "$conn: pluto initiates, IKE SA established" lsw_initiate "$conn"
	interop_check "$conn: ikefarmd holds 1 IKE SA, 0 half-open, counted auth_ok" \
		eval 'ikefarmd_stat_is ike_sas -eq 1 && ikefarmd_stat_is half_open -eq 0 &&
		      ikefarmd_stat_is auth_ok -ge 1'
	interop_check "$conn: ESP proposal accepted, Child SA refused by TS only" \
		eval 'ikefarmd_stat_is child_ts_unacceptable_sent -ge 1 &&
		      ikefarmd_stat_is child_no_proposal_sent -eq 0'
	sleep 1
	interop_check "$conn: pluto keeps the IKE SA" lsw_ike_established "$conn"
}

# negotiated CONN WHAT: pluto's line with the IKE SA's algorithms
# ({cipher=.. group=..} in 4.10, {cipher=.. ke=..} in 5.4) names WHAT.
negotiated()
{
	grep -E 'IKE_AUTH request \{|IKE_SA_INIT response .*\{' "$LSW_RUN/initiate-$1.out" |
		grep -qE -- "$2"
}

case_default()
{
	establish default
	grep -E 'IKE_AUTH request \{|IKE_SA_INIT response .*\{|INVALID_KE' \
		"$LSW_RUN/initiate-default.out" | sed 's/^/  /'
	# pluto's first guess is MODP2048 (4.10) or DH19 (5.4): both offered
	# x25519 too, which ikefarmd prefers (RFC 7296 1.2, 3.4).
	interop_check "default: ikefarmd asked once for its group (INVALID_KE_PAYLOAD)" \
		ikefarmd_stat_is init_invalid_ke_sent -eq 1
	interop_check "default: the KE group is ikefarmd's preference among pluto's (${LSW_WANT_GROUP})" \
		negotiated default "(group|ke)=${LSW_WANT_GROUP}"
	interop_check "default: AES-GCM-256 with PRF SHA2-256 (ikefarmd's order)" \
		negotiated default 'cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_256'
	# pluto ignores an unauthenticated NO_PROPOSAL_CHOSEN to IKE_SA_INIT (it
	# retransmits until it gives up), so refuse it a Child SA instead: it
	# asks for one with CREATE_CHILD_SA over the IKE SA it has.
	interop_check "refused: pluto's SHA-1 ESP offer gets NO_PROPOSAL_CHOSEN" \
		eval '! lsw_initiate refused 10 && ikefarmd_stat_is child_no_proposal_sent -eq 1'
	interop_check "refused: ikefarmd logged what was offered and what it accepts" \
		ikefarmd_log_grep 'no ESP proposal chosen; offered #1 ESP: AES_CBC/128 HMAC_SHA1_96 .*; we accept aes256gcm16-aes128gcm16, aes256-aes128-sha256-sha384-sha512'
}

case_gcm()
{
	establish gcm
	interop_check "gcm: AES-GCM-256 and DH31 negotiated" \
		negotiated gcm 'cipher=AES_GCM_16_256.*(group|ke)=DH31'
	interop_check "gcm: no INVALID_KE_PAYLOAD needed" ikefarmd_stat_is init_invalid_ke_sent -eq 0
}

case_rekey()
{
	local old new

	establish gcm
	old=$(lsw_ike_serial gcm)
	# shellcheck disable=SC2016 # expanded by eval
	interop_check "rekey: pluto rekeys the IKE SA (#$old)" \
		eval 'lsw_whack --name gcm --rekey-ike >>"$LSW_RUN/rekey.out" 2>&1'
	interop_check "rekey: ikefarmd counted ike_rekeyed, holds 1 IKE SA" \
		eval 'interop_wait_until 10 ikefarmd_stat_is ike_rekeyed -ge 1 &&
		      interop_wait_until 5 ikefarmd_stat_is ike_sas -eq 1'
	new=$(lsw_ike_serial gcm)
	# shellcheck disable=SC2016 # expanded by eval
	interop_check "rekey: pluto runs a new IKE SA (#${new:-none} replaces #$old)" \
		eval '[ -n "$new" ] && [ "$new" != "$old" ]'
	# The new SA's keys work both ways: its DELETE is read and answered.
	# shellcheck disable=SC2016 # expanded by eval
	interop_check "rekey: pluto deletes the new IKE SA, ikefarmd reads the DELETE" \
		eval 'lsw_whack --name gcm --terminate >>"$LSW_RUN/rekey.out" 2>&1 &&
		      interop_wait_until 5 ikefarmd_stat_is ike_sas -eq 0 &&
		      ikefarmd_stat_is info_delete_ike -ge 1'
}

case_intermediate()
{
	establish intermediate
	interop_check "intermediate: ikefarmd answered one IKE_INTERMEDIATE, AUTH with IntAuth passed" \
		eval 'ikefarmd_stat_is intermediate_ok -eq 1 && ikefarmd_stat_is auth_failed -eq 0 &&
		      ikefarmd_stat_is intermediate_not_negotiated -eq 0'
	interop_check "intermediate: pluto ran IKE_INTERMEDIATE" lsw_log_grep 'IKE_INTERMEDIATE'
}

case_addke()
{
	establish addke
	interop_check "addke: two IKE_INTERMEDIATE exchanges, each an additional key exchange" \
		eval 'ikefarmd_stat_is intermediate_addke_ok -eq 2 &&
		      ikefarmd_stat_is intermediate_ok -ge 2 &&
		      ikefarmd_stat_is intermediate_addke_bad_ke -eq 0'
	interop_check "addke: AUTH passed under the last generation's keys" \
		eval 'ikefarmd_stat_is auth_failed -eq 0 && ikefarmd_stat_is drop_icv_mismatch -eq 0'
	grep -E 'IKE_AUTH request \{|IKE_SA_INIT response .*\{' "$LSW_RUN/initiate-addke.out" |
		sed 's/^/  /'
	interop_check "addke: pluto names both additional key exchanges" \
		negotiated addke 'addke1=DH19 addke2=MODP2048'
}

case_addke_rekey()
{
	local old new

	case_addke
	old=$(lsw_ike_serial addke)
	# shellcheck disable=SC2016 # expanded by eval
	interop_check "addke-rekey: pluto rekeys the IKE SA (#$old)" \
		eval 'lsw_whack --name addke --rekey-ike >>"$LSW_RUN/rekey.out" 2>&1'
	interop_check "addke-rekey: ikefarmd answered CREATE_CHILD_SA with a link, then two IKE_FOLLOWUP_KE" \
		eval 'interop_wait_until 10 ikefarmd_stat_is followup_done -eq 1 &&
		      ikefarmd_stat_is followup_started -eq 1 &&
		      ikefarmd_stat_is followup_ok -eq 2 &&
		      ikefarmd_stat_is followup_state_not_found_sent -eq 0 &&
		      ikefarmd_stat_is followup_invalid_syntax_sent -eq 0'
	interop_check "addke-rekey: ikefarmd counted ike_rekeyed, holds 1 IKE SA" \
		eval 'interop_wait_until 10 ikefarmd_stat_is ike_rekeyed -eq 1 &&
		      interop_wait_until 5 ikefarmd_stat_is ike_sas -eq 1'
	grep 'rekeyed IKE SA' "$LSW_RUN/rekey.out" | sed 's/^/  /'
	interop_check "addke-rekey: pluto's new IKE SA names both additional key exchanges" \
		grep -qE 'initiator rekeyed IKE SA .*addke1=DH19 addke2=MODP2048' "$LSW_RUN/rekey.out"
	new=$(lsw_ike_serial addke)
	# shellcheck disable=SC2016 # expanded by eval
	interop_check "addke-rekey: pluto runs a new IKE SA (#${new:-none} replaces #$old)" \
		eval '[ -n "$new" ] && [ "$new" != "$old" ]'
	# The new SA's keys (from SK(0) | Ni | Nr | SK(1) | SK(2)) work both ways.
	# shellcheck disable=SC2016 # expanded by eval
	interop_check "addke-rekey: pluto deletes the new IKE SA, ikefarmd reads the DELETE" \
		eval 'lsw_whack --name addke --terminate >>"$LSW_RUN/rekey.out" 2>&1 &&
		      interop_wait_until 5 ikefarmd_stat_is ike_sas -eq 0 &&
		      ikefarmd_stat_is info_delete_ike -ge 1 &&
		      ikefarmd_stat_is drop_icv_mismatch -eq 0'
}

case_resume()
{
	establish resume
	interop_check "resume: ikefarmd issued a ticket" ikefarmd_stat_is ticket_issued -ge 1
	interop_check "resume: pluto stored it" lsw_log_grep 'TICKET_LT_OPAQUE|ticket'
	# Drop the IKE SA without a DELETE (RFC 5723 6.2: a DELETE would make
	# the client discard its ticket), keep the ticket, resume.
	lsw_whack --impair send_no_delete >/dev/null 2>&1 ||
		lsw_whack --impair send-no-delete >/dev/null 2>&1
	# shellcheck disable=SC2016 # expanded by eval
	interop_check "resume: pluto suspends the IKE SA" \
		eval 'lsw_whack --name resume --suspend >>"$LSW_RUN/suspend.out" 2>&1'
	interop_check "resume: pluto resumes with IKE_SESSION_RESUME" lsw_initiate resume
	interop_check "resume: ikefarmd accepted it in libreswan's AUTH form" \
		eval 'ikefarmd_stat_is resume_ok -ge 1 &&
		      ikefarmd_stat_is resume_auth_libreswan_form -ge 1 &&
		      ikefarmd_stat_is resume_auth_failed -eq 0'
	interop_check "resume: pluto logged IKE_SESSION_RESUME" lsw_log_grep 'IKE_SESSION_RESUME'
	interop_check "resume: pluto keeps the resumed IKE SA" lsw_ike_established resume
}

case $case_name in
v4-default | v4-gcm | v4-rekey | v4-intermediate | v5-default | v5-gcm | v5-rekey | \
	v5-addke | v5-addke-rekey | v5-resume) ;;
*)
	echo "usage: $0 v4-default|v4-gcm|v4-rekey|v4-intermediate|v5-default|v5-gcm|v5-rekey|v5-addke|v5-addke-rekey|v5-resume" >&2
	exit 2
	;;
esac
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: $case_name: needs root (pluto binds UDP 500)"
	exit 77
fi
version=${case_name%%-*}
lsw_use "${version#v}"
rc=$?
if [ "$rc" -eq 77 ]; then
	echo "SKIP: $case_name: LIBRESWAN 5.4 IS NOT AVAILABLE (no source tarball): NOT TESTED" >&2
	exit 77
fi
[ "$rc" -eq 0 ] || fail_setup "libreswan $version is not available"
ikefarmd_setup || fail_setup "no run directory"
trap 'lsw_cleanup; ikefarmd_cleanup' EXIT
ifd_conf=
# The group ikefarmd's default proposals prefer among those pluto offers.
LSW_WANT_GROUP=DH31
if [ "$case_name" = v5-resume ]; then
	IKEFARMD_CREDS_OPTS=resume-auth=libreswan
	ifd_conf="[tickets]
lifetime_s = 3600"
fi
if [ "$case_name" = v5-addke ] || [ "$case_name" = v5-addke-rekey ]; then
	ifd_conf="[ike]
proposals = aes256gcm16-prfsha256-x25519-ke1_ecp256-ke2_modp2048, default"
fi
ikefarmd_start "$ifd_conf" || fail_setup "ikefarmd did not start"
lsw_start "$IKEFARMD_PORT" || fail_setup "pluto did not start"

case_fn=case_${case_name#v?-}
"${case_fn//-/_}"

lsw_stop
# shellcheck disable=SC2016 # expanded by eval
interop_check "$case_name: ikefarmd exits cleanly on SIGTERM" \
	eval 'ikefarmd_stop && [ "$IKEFARMD_EXIT" -eq 0 ] &&
	      ikefarmd_log_grep "wiping shard secrets"'
echo "$case_name: $INTEROP_FAILS failed"
[ "$INTEROP_FAILS" -eq 0 ]
