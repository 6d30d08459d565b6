#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Interop: Debian's strongSwan charon as INITIATOR against ikefarmd on
# 127.0.0.1:$IKEFARMD_PORT (NAT-T port +1; charon moves IKE_AUTH to its
# port_nat_t because kernel-libipsec fakes a NAT).  Each check looks at
# both ends: swanctl --list-sas on the initiator and ikefarmd's telemetry.
# With IKEFARMD_NET=ethdev the same cases run through the DPDK ethdev
# driver: ikefarmd on a net_af_packet port in a network namespace,
# 198.51.100.1:500/4500, charon and the test's senders in another one
# across a veth pair (ikefarmd_lib.sh); charon then floats to port 4500.
#
#	[IKEFARMD_NET=ethdev] run_ikefarmd.sh CASE
#
# CASE: psk-gcm   PSK, x25519 + AES-GCM, then DELETE from the initiator
#       psk-cbc   PSK, ecp256 + AES-CBC/HMAC-SHA256, then DELETE
#       rekey     CHILD_SA rekey, then IKE_SA rekey (CREATE_CHILD_SA)
#       dpd       liveness checks from the initiator (dpd_delay 1 s)
#       ke-preference  charon offers AES-CBC-256/HMAC-SHA2-256 with ecp256
#                 and x25519, KE for ecp256: the default proposals take it,
#                 INVALID_KE_PAYLOAD asks for x25519 (our preference)
#       pfs-rekey CHILD_SA with PFS groups ecp256, x25519; ikefarmd's
#                 [child] proposals take x25519 only: the CHILD_SA rekey's
#                 KE for ecp256 gets INVALID_KE_PAYLOAD(x25519), then works
#       childless RFC 6023 (childless = force): IKE_SA without a CHILD_SA,
#                 then the CHILD_SA in a CREATE_CHILD_SA
#       garbage   hundreds of malformed datagrams, then a handshake still
#                 works and only drop counters moved
#       cert-ecdsa      ECDSA certificates both ways (CA and leaves made now)
#       reauth-honoured RFC 4478: AUTH_LIFETIME 20 s; charon reauthenticates
#                       on its own 5 s in (over_time 15 s): a new IKE SA
#                       replaces the old one on both ends; then
#                       /ikefarm/reauth makes it do so again
#       resume-storm    RFC 5723 end to end: 100 full handshakes with tickets,
#                       then 100 resumptions (storm, i.e. lib/initiator, on
#                       the peers' side: strongSwan has no RFC 5723)
#       resume-route    RFC 5723 with a random ticket key: IKE_SESSION_RESUME
#                       requests reach the worker that owns their ticket
#                       (no strongSwan: it has no RFC 5723)
#       ticket-keys     the ticket key file: bad reload keeps the old ring,
#                       SIGHUP and /ikefarm/ticket_keys_reload load a new one
#       reauth-expire   RFC 4478: AUTH_LIFETIME 20 s; charon is suspended
#                       before it reauthenticates, ikefarmd deletes the SA
#                       at deadline + grace (22 s) and sends DELETE, which
#                       charon reads when it resumes
#       responder-dpd   ikefarmd's own DPD (dpd_delay_s 2, dpd_timeout_s 6):
#                       charon answers the probes and keeps its SA; then
#                       charon is suspended (SIGSTOP), ikefarmd resends,
#                       deletes the SA, and drops charon's late answers
#                       after SIGCONT (the SPI is gone)
#       ctl-terminate  ikefarmctl list-sas shows charon's SA (identity,
#                 SPIs, remote); terminate --spi deletes it: charon
#                 receives the DELETE and no SA is left on either end
#       vip       RFC 7296 3.15: charon with vips = 0.0.0.0 gets an address
#                 of [pool] v4 = 10.98.0.0/24 (member 1/2) and the DNS
#                 server; TSi narrowed to it; DELETE releases the lease
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

# stock_telemetry_is NAME VALUE: /ikefarm/stats read through the stock DPDK
# client (dpdk-telemetry.py from Debian's dpdk-dev) has NAME equal to VALUE.
stock_telemetry_is()
{
	# shellcheck disable=SC2016 # python, not shell
	echo /ikefarm/stats | dpdk-telemetry.py -f "$IKEFARMD_PREFIX" 2>/dev/null |
		python3 -c '
import json, sys
text = sys.stdin.read()
start = text.index("{")
reply, _ = json.JSONDecoder().raw_decode(text[start:])
sys.exit(0 if str(reply["/ikefarm/stats"][sys.argv[1]]) == sys.argv[2] else 1)
' "$1" "$2"
}

case_psk_gcm()
{
	establish gcm-x25519 c-gcm
	interop_check "psk-gcm: dpdk-telemetry.py shows /ikefarm/stats with auth_ok 1" \
		stock_telemetry_is auth_ok 1
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
		"LOCAL_ADDR=$INTEROP_LOCAL_ADDR" "TARGET_ADDR=$IKEFARMD_LISTEN" \
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

case_ke_preference()
{
	establish cbc-ecp256 c-cbc
	interop_check "ke-preference: ikefarmd asked for its group once (INVALID_KE_PAYLOAD)" \
		ikefarmd_stat_is init_invalid_ke_sent -eq 1
	# shellcheck disable=SC2016 # expanded by eval
	interop_check "ke-preference: charon retried with x25519 and got AES_CBC_256/HMAC_SHA2_256" \
		eval 'grep -q "requested CURVE_25519" "$INTEROP_RUN/initiator.log" &&
		      grep -q "selected proposal: IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/CURVE_25519" \
			"$INTEROP_RUN/initiator.log"'
	delete cbc-ecp256
}

case_pfs_rekey()
{
	local spis

	if ! interop_render "$INTEROP_CONF/initiator/swanctl-pfs.conf.in" \
		"$INTEROP_RUN/initiator.swanctl/swanctl.conf" \
		"LOCAL_ADDR=$INTEROP_LOCAL_ADDR" "TARGET_ADDR=127.0.0.1" \
		"TARGET_PORT=$IKEFARMD_PORT" "IKE_GCM=$INTEROP_IKE_GCM" \
		"ESP_GCM=$INTEROP_ESP_GCM" || ! interop_load initiator; then
		fail_setup "cannot load the pfs connection"
	fi
	# IKE_AUTH has no KE payload: the KE transforms are not looked at (1.2).
	establish pfs-gcm c-pfs
	spis=$(interop_child_spis pfs-gcm c-pfs)
	interop_rekey_child c-pfs
	interop_check "pfs-rekey: CHILD_SA rekeyed on the initiator (new SPIs, old gone)" \
		interop_wait_until 10 interop_child_rekeyed pfs-gcm c-pfs "$spis"
	interop_check "pfs-rekey: ikefarmd asked for x25519 once, then rekeyed the CHILD_SA" \
		eval 'ikefarmd_stat_is child_invalid_ke_sent -eq 1 &&
		      ikefarmd_stat_is child_rekeyed -ge 1'
	# shellcheck disable=SC2016 # expanded by eval
	interop_check "pfs-rekey: charon's new CHILD_SA has PFS with CURVE_25519" \
		eval 'grep -q "selected proposal: ESP:AES_GCM_16_256/CURVE_25519/NO_EXT_SEQ" \
			"$INTEROP_RUN/initiator.log"'
	delete pfs-gcm
}

case_childless()
{
	if ! interop_render "$INTEROP_CONF/initiator/swanctl-childless.conf.in" \
		"$INTEROP_RUN/initiator.swanctl/swanctl.conf" \
		"LOCAL_ADDR=$INTEROP_LOCAL_ADDR" "TARGET_ADDR=$IKEFARMD_LISTEN" \
		"TARGET_PORT=$IKEFARMD_PORT" "IKE_GCM=$INTEROP_IKE_GCM" \
		"ESP_GCM=$INTEROP_ESP_GCM" || ! interop_load initiator; then
		fail_setup "cannot load the childless connection"
	fi
	# strongSwan goes childless only when our IKE_SA_INIT answer says we can.
	interop_check "childless: initiate the IKE_SA alone" interop_initiate childless-gcm
	interop_check "childless: initiator IKE_SA ESTABLISHED, no CHILD_SA" \
		eval 'interop_ike_established childless-gcm &&
		      ! interop_sas | grep -q "^child childless-gcm"'
	interop_check "childless: ikefarmd counted auth_childless, installed no Child SA" \
		eval 'ikefarmd_stat_is auth_childless -eq 1 && ikefarmd_stat_is child_installed -eq 0 &&
		      ikefarmd_stat_is ike_sas -eq 1'
	interop_check "childless: CHILD_SA c-cl by CREATE_CHILD_SA" \
		interop_initiate childless-gcm c-cl
	interop_check "childless: initiator CHILD_SA c-cl INSTALLED" \
		interop_child_installed childless-gcm c-cl
	interop_check "childless: ikefarmd installed it on the same IKE SA" \
		eval 'ikefarmd_stat_is child_installed -eq 1 && ikefarmd_stat_is ike_sas -eq 1'
	delete childless-gcm
}

# charon takes the address into its IKE_SA; with install_virtual_ip = no (the
# harness never changes this machine's addresses) kernel-libipsec cannot route
# from it, so charon gives the CHILD_SA up after IKE_AUTH and deletes it. The
# CHILD_SA is checked on our side: installed with TSi narrowed to the address.
case_vip()
{
	local vip

	if ! interop_render "$INTEROP_CONF/initiator/swanctl-vip.conf.in" \
		"$INTEROP_RUN/initiator.swanctl/swanctl.conf" \
		"LOCAL_ADDR=$INTEROP_LOCAL_ADDR" "TARGET_ADDR=$IKEFARMD_LISTEN" \
		"TARGET_PORT=$IKEFARMD_PORT" "IKE_GCM=$INTEROP_IKE_GCM" \
		"ESP_GCM=$INTEROP_ESP_GCM" || ! interop_load initiator; then
		fail_setup "cannot load the vip connection"
	fi
	interop_initiate vip-gcm c-vip || true
	interop_check "vip: initiator IKE_SA ESTABLISHED" interop_ike_established vip-gcm
	interop_sw initiator --list-sas >"$INTEROP_RUN/vip-sas.txt" 2>&1
	# "local 'initiator.test.example' @ 127.0.0.1[port] [10.98.0.N]"
	vip=$(sed -n 's/^ *local .*\[\(10\.98\.0\.[0-9]*\)\]$/\1/p' "$INTEROP_RUN/vip-sas.txt")
	interop_check "vip: swanctl --list-sas shows the virtual IP (${vip:-none})" test -n "$vip"
	# [pool] member = 1/2 of 10.98.0.0/24: new leases come from .1 .. .127.
	interop_check "vip: it lies in this gateway's slice of [pool] v4" \
		test "${vip##*.}" -ge 1 -a "${vip##*.}" -le 127
	interop_check "vip: charon installed it as its virtual IP" \
		grep -q "installing new virtual IP $vip\$" "$INTEROP_RUN/initiator.log"
	# ... and INTERNAL_IP4_SUBNET 127.0.0.0/8: [child] ts_start..ts_end is one prefix.
	interop_check "vip: CFG_REPLY carried the address, the DNS server and the subnet" \
		grep -q 'parsed IKE_AUTH response 1 \[.*CPRP(ADDR DNS SUBNET)' "$INTEROP_RUN/initiator.log"
	interop_check "vip: charon's CHILD_SA policy is $vip/32 === 127.0.0.1/32 (TSi narrowed)" \
		grep -q "policy $vip/32 === 127.0.0.1/32" "$INTEROP_RUN/initiator.log"
	interop_check "vip: ikefarmd counted cp_request, cp_lease_new, child_installed" \
		eval 'ikefarmd_stat_is cp_request -eq 1 && ikefarmd_stat_is cp_lease_new -eq 1 &&
		      ikefarmd_stat_is child_installed -eq 1'
	interop_check "vip: the vip4_leases gauge is 1" ikefarmd_stat_is vip4_leases -eq 1
	delete vip-gcm
	interop_check "vip: the lease is released with the IKE SA" \
		interop_wait_until 10 eval 'ikefarmd_stat_is cp_lease_released -eq 1 &&
					   ikefarmd_stat_is vip4_leases -eq 0'
}

# Counters that may move while malformed datagrams are dropped: receive
# and poll bookkeeping, and the drop counters (drop_*, and io_* for what
# the packet device drops before any worker sees it).
garbage_allowed()
{
	case $1 in
	rx | rx_pkts | proto_pkts | loops | spread_out | redirect_in | \
	redirect_out | drop_* | io_rx_runt | io_rx_truncated | io_esp | \
	io_natt_keepalive) return 0 ;;
	esac
	return 1
}

case_garbage()
{
	local before=$INTEROP_RUN/tel-before.json after=$INTEROP_RUN/tel-after.json
	local moved=$INTEROP_RUN/tel-moved name delta bad=0 drops=0 sent

	ikefarmd_tel_json /ikefarm/stats /ikefarm/runtime >"$before" || fail_setup "no telemetry"
	sent=$(interop_in_ns python3 "$INTEROP_DIR/garbage.py" "$IKEFARMD_LISTEN" "$IKEFARMD_PORT" \
		"$IKEFARMD_NATT_PORT" | awk '/^garbage: sent/ { print $3 }')
	interop_check "garbage: sent ${sent:-no} malformed datagrams" test -n "$sent"
	# Let the workers drain their sockets and redirect rings.
	sleep 1
	ikefarmd_tel_json /ikefarm/stats /ikefarm/runtime >"$after" || fail_setup "no telemetry"
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

# load_reauth_conn: the reauth-gcm connection (over_time 15 s) into the initiator.
load_reauth_conn()
{
	interop_render "$INTEROP_CONF/initiator/swanctl-reauth.conf.in" \
		"$INTEROP_RUN/initiator.swanctl/swanctl.conf" \
		"LOCAL_ADDR=$INTEROP_LOCAL_ADDR" "TARGET_ADDR=$IKEFARMD_LISTEN" \
		"TARGET_PORT=$IKEFARMD_PORT" "IKE_GCM=$INTEROP_IKE_GCM" \
		"ESP_GCM=$INTEROP_ESP_GCM" && interop_load initiator ||
		fail_setup "cannot load the reauth connection"
}

case_cert_ecdsa()
{
	local log=$INTEROP_RUN/initiator.log

	establish cert-ecdsa c-cert
	# shellcheck disable=SC2016 # expanded by eval
	interop_check "cert-ecdsa: initiator verified ikefarmd's ECDSA signature" \
		eval 'grep -q "authentication of .responder.test.example. with ECDSA.* successful" "$log"'
	# shellcheck disable=SC2016 # expanded by eval
	interop_check "cert-ecdsa: initiator trusts ikefarmd's certificate chain" \
		eval 'grep -q "reached self-signed root ca" "$log"'
	interop_check "cert-ecdsa: ikefarmd: no certificate or signature failure" \
		eval 'ikefarmd_stat_is auth_cert_untrusted -eq 0 &&
		      ikefarmd_stat_is auth_sig_bad -eq 0 && ikefarmd_stat_is auth_failed -eq 0'
	delete cert-ecdsa
}

case_reauth_honoured()
{
	local spis log=$INTEROP_RUN/initiator.log

	load_reauth_conn
	establish reauth-gcm c-reauth
	spis=$(interop_ike_spis reauth-gcm)
	# shellcheck disable=SC2016 # expanded by eval
	interop_check "reauth-honoured: initiator received AUTH_LIFETIME of 20s" \
		eval 'grep -q "received AUTH_LIFETIME of 20s" "$log"'
	interop_check "reauth-honoured: initiator: a new IKE_SA replaced the old one" \
		interop_wait_until 15 interop_ike_rekeyed reauth-gcm "$spis"
	interop_check "reauth-honoured: initiator: CHILD_SA INSTALLED under the new IKE_SA" \
		interop_wait_until 5 interop_child_installed reauth-gcm c-reauth
	interop_check "reauth-honoured: ikefarmd: 2 full IKE_AUTHs, 1 IKE SA, none expired" \
		eval 'ikefarmd_stat_is auth_ok -ge 2 &&
		      interop_wait_until 5 ikefarmd_stat_is ike_sas -eq 1 &&
		      ikefarmd_stat_is auth_lifetime_expired -eq 0'
	# The operator asks for a reauthentication now: deadline now + 17 s, so
	# charon (over_time 15 s) reauthenticates about 2 s later.
	spis=$(interop_ike_spis reauth-gcm)
	interop_check "reauth-honoured: /ikefarm/reauth by identity asked 1 SA" \
		eval 'ikefarmd_tel_json /ikefarm/reauth,id:fqdn:initiator.test.example |
		      grep -q "\"asked\": 1,"'
	# shellcheck disable=SC2016 # expanded by eval
	interop_check "reauth-honoured: initiator received the shortened AUTH_LIFETIME" \
		interop_wait_until 5 eval 'grep -Eq "received AUTH_LIFETIME of 1[67]s" "$log"'
	interop_check "reauth-honoured: initiator: another new IKE_SA replaced it" \
		interop_wait_until 10 interop_ike_rekeyed reauth-gcm "$spis"
	interop_check "reauth-honoured: ikefarmd: reauth_requested 1, 3 IKE_AUTHs, 1 IKE SA" \
		eval 'ikefarmd_stat_is reauth_requested -eq 1 && ikefarmd_stat_is auth_ok -ge 3 &&
		      interop_wait_until 5 ikefarmd_stat_is ike_sas -eq 1'
	delete reauth-gcm
}

case_reauth_expire()
{
	local log=$INTEROP_RUN/initiator.log pid old_spis

	load_reauth_conn
	establish reauth-gcm c-reauth
	# shellcheck disable=SC2016 # expanded by eval
	interop_check "reauth-expire: initiator received AUTH_LIFETIME of 20s" \
		eval 'grep -q "received AUTH_LIFETIME of 20s" "$log"'
	# A client that went silent (suspended laptop): charon is stopped
	# before its reauthentication (5 s in) and its own hard limit (20 s),
	# so only ikefarmd acts when the deadline passes.
	pid=$(cat "$INTEROP_RUN/initiator.pid")
	old_spis=$(interop_ike_spis reauth-gcm)
	interop_check "reauth-expire: initiator suspended (SIGSTOP)" kill -STOP "$pid"
	interop_check "reauth-expire: ikefarmd deleted the SA at deadline + grace" \
		interop_wait_until 30 ikefarmd_stat_is auth_lifetime_expired -eq 1
	interop_check "reauth-expire: ikefarmd holds no IKE SA" ikefarmd_stat_is ike_sas -eq 0
	interop_check "reauth-expire: initiator resumed (SIGCONT)" kill -CONT "$pid"
	# shellcheck disable=SC2016 # expanded by eval
	# Woken up, charon may at once run its overdue reauthentication and
	# bring up a NEW IKE_SA; the one ikefarmd expired must be gone.
	interop_check "reauth-expire: initiator: the expired IKE_SA is gone" \
		interop_wait_until 10 eval '[ "$(interop_ike_spis reauth-gcm)" != "$old_spis" ]'
	# shellcheck disable=SC2016 # expanded by eval
	# On SIGCONT charon may run its own expired reauth timer before it reads
	# our DELETE from its socket; then it drops the SA itself and the
	# DELETE meets no SA. Either way the SA ended on both sides.
	interop_check "reauth-expire: initiator took ikefarmd's DELETE or expired the SA itself" \
		eval 'grep -qE "received DELETE for IKE_SA reauth-gcm|reauthenticating IKE_SA reauth-gcm" "$log"'
}

case_responder_dpd()
{
	local pid

	establish gcm-x25519 c-gcm
	# charon has no dpd_delay of its own here: only ikefarmd's probes run.
	interop_check "responder-dpd: ikefarmd probed and charon answered" \
		interop_wait_until 15 ikefarmd_stat_is dpd_probes_answered -ge 2
	interop_check "responder-dpd: both ends still hold the IKE_SA" \
		eval 'interop_ike_established gcm-x25519 && ikefarmd_stat_is ike_sas -eq 1 &&
		      ikefarmd_stat_is dpd_sa_deleted -eq 0'
	pid=$(cat "$INTEROP_RUN/initiator.pid")
	interop_check "responder-dpd: initiator suspended (SIGSTOP)" kill -STOP "$pid"
	# Next probe within 2.5 s, resends at +2 and +6 s... deleted at +6 s.
	interop_check "responder-dpd: ikefarmd resent the probe, then deleted the SA" \
		interop_wait_until 20 eval 'ikefarmd_stat_is dpd_sa_deleted -eq 1 &&
					   ikefarmd_stat_is dpd_probes_resent -ge 1'
	interop_check "responder-dpd: ikefarmd holds no IKE SA, no Child SA" \
		eval 'ikefarmd_stat_is ike_sas -eq 0 && ikefarmd_stat_is child_deleted -ge 1'
	interop_check "responder-dpd: initiator resumed (SIGCONT)" kill -CONT "$pid"
	# Woken up, charon answers the queued probes: their SPI is unknown now.
	interop_check "responder-dpd: charon's late answers dropped (drop_unknown_spi)" \
		interop_wait_until 10 ikefarmd_stat_is drop_unknown_spi -ge 1
	interop_check "responder-dpd: initiator still running" kill -0 "$pid"
}

# Per worker: IKE_SESSION_RESUME requests whose ticket it owns, each from a
# new source port; all of them must be answered (TICKET_NACK: unknown key)
# by their owner, whichever worker's socket took them.
case_resume_route()
{
	local per=20 s

	interop_check "resume-route: the random-key warning was logged" \
		ikefarmd_log_grep "one random ticket key for this process only"
	interop_check "resume-route: every request answered with TICKET_NACK" \
		interop_in_ns python3 "$INTEROP_DIR/resume_route.py" "$IKEFARMD_LISTEN" "$IKEFARMD_PORT" 2 "$per"
	for s in 0 1; do
		interop_check "resume-route: worker $s refused exactly its $per tickets" \
			eval "ikefarmd_stat ticket_nack_unknown_key_id /ikefarm/shard,$s |
			      grep -qx $per"
	done
	interop_check "resume-route: misdelivered requests went over the redirect rings" \
		ikefarmd_stat_is redirect_out -ge 1
	interop_check "resume-route: no half-open SA left" ikefarmd_stat_is half_open -eq 0
}

# storm's clients (users client<i>@storm) do full handshakes with a ticket,
# then resume each with it; every one must complete, none fall back.
case_resume_storm()
{
	local out=$INTEROP_RUN/storm

	interop_check "resume-storm: storm ran $RESUME_N full handshakes, then resumptions" \
		interop_in_ns timeout 60 "$STORM_BIN" \
		--target "$IKEFARMD_LISTEN:$IKEFARMD_NATT_PORT" --encap \
		--psk "$INTEROP_PSK" --clients "$RESUME_N" --window 16 \
		--scenario full,resume --out "$out" --quiet
	# shellcheck disable=SC2016 # python, not shell
	interop_check "resume-storm: all $RESUME_N completed in each phase, none fell back" \
		python3 -c '
import json, sys
ph = {p["name"]: p for p in json.load(open(sys.argv[1]))["phases"]}
n = int(sys.argv[2])
for name in ("full", "resume"):
    p = ph[name]
    print("  %s: %s" % (name, {k: p[k] for k in ("completed", "failed", "fallback_full", "failures")}))
sys.exit(0 if all(ph[k]["completed"] == n and ph[k]["failed"] == 0 and
                  ph[k]["fallback_full"] == 0 for k in ("full", "resume")) else 1)
' "$out/storm.json" "$RESUME_N"
	interop_check "resume-storm: ikefarmd counted $RESUME_N resume_ok" \
		ikefarmd_stat_is resume_ok -eq "$RESUME_N"
}

# The farm key file: loaded at start, a bad file keeps the old ring
# (FILE:LINE: reason), SIGHUP and the telemetry command load a good one.
ikefarmctl()
{
	python3 "$INTEROP_DIR/../../app/ikefarmctl/ikefarmctl.py" --file-prefix "$IKEFARMD_PREFIX" "$@"
}

case_ctl_terminate()
{
	local spi

	establish gcm-x25519 c-gcm
	# Our SPI as charon knows it: the responder half of its IKE_SA.
	spi=$(ikefarmctl --json list-sas | python3 -c '
import json, sys
sas = json.load(sys.stdin)["sas"]
assert len(sas) == 1 and sas[0]["children"], sas
print(sas[0]["spi_r"])')
	interop_check "ctl-terminate: list-sas shows the one SA with its Child SA" [ -n "$spi" ]
	interop_check "ctl-terminate: its SPI is charon's responder SPI" \
		eval 'interop_ike_spis gcm-x25519 | grep -qi "$spi"'
	interop_check "ctl-terminate: terminate --spi $spi" \
		eval 'ikefarmctl terminate --spi "$spi" | grep -qx "terminated: 1 IKE SA"'
	interop_check "ctl-terminate: no IKE SA left on either end" \
		interop_wait_until 5 no_sa_left gcm-x25519
	# shellcheck disable=SC2016 # expanded by eval
	interop_check "ctl-terminate: charon received the DELETE" \
		eval 'grep -q "received DELETE for IKE_SA gcm-x25519" "$INTEROP_RUN/initiator.log"'
	interop_check "ctl-terminate: ikefarmd logged the event" \
		ikefarmd_log_grep "event deleted: .*reason: terminated by the operator"
	interop_check "ctl-terminate: list-sas is empty" \
		eval '[ "$(ikefarmctl list-sas | tail -n 1)" = "0 IKE SAs" ]'
}

case_ticket_keys()
{
	local keys=$INTEROP_RUN/ticket-keys

	interop_check "ticket-keys: 1 key loaded at start" \
		ikefarmd_log_grep "ticket keys: 1 from $keys"
	echo "5e11e7a2 2025-01-01T00:00:00Z 2035-01-01T00:00:00Z 00" >>"$keys"
	# shellcheck disable=SC2016 # expanded by eval
	interop_check "ticket-keys: a bad file is refused with FILE:LINE, old ring kept" \
		eval 'ikefarmd_reload /ikefarm/ticket_keys_reload |
		      grep -q "^0 $keys:2: .*keeping the old ring"'
	sed -i '$d' "$keys"
	echo "5e11e7a2 2025-01-01T00:00:00Z 2035-01-01T00:00:00Z $(openssl rand -hex 32)" >>"$keys"
	interop_check "ticket-keys: SIGHUP loads the 2-key file" \
		eval "kill -HUP $IKEFARMD_PID &&
		      interop_wait_until 5 ikefarmd_log_grep '2 ticket keys loaded from $keys'"
	interop_check "ticket-keys: /ikefarm/ticket_keys_reload loads it again" \
		eval 'ikefarmd_reload /ikefarm/ticket_keys_reload | grep -q "^1 "'
	interop_check "ticket-keys: resumption still routes and answers" \
		interop_in_ns python3 "$INTEROP_DIR/resume_route.py" "$IKEFARMD_LISTEN" "$IKEFARMD_PORT" 2 5
}

case $case_name in
psk-gcm | psk-cbc | rekey | dpd | ke-preference | pfs-rekey | childless | garbage | \
cert-ecdsa | reauth-honoured | reauth-expire | resume-route | resume-storm | ticket-keys | \
vip | responder-dpd | ctl-terminate) ;;
*)
	echo "usage: $0 psk-gcm|psk-cbc|rekey|dpd|ke-preference|pfs-rekey|childless|garbage|" \
		"cert-ecdsa|reauth-honoured|reauth-expire|resume-route|resume-storm|ticket-keys|vip|" \
		"responder-dpd|ctl-terminate" >&2
	exit 2
	;;
esac
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: $case_name: needs root (mount namespace for charon)"
	exit 77
fi
interop_install_peers || fail_setup "cannot install strongSwan"
ikefarmd_setup || fail_setup "no run directory"
auth=psk
ifd_conf=
case $case_name in
cert-ecdsa)
	interop_make_certs "$INTEROP_RUN/certs" || fail_setup "cannot make certificates"
	auth=cert
	IKEFARMD_CREDS_EXTRA="fqdn cert-initiator.test.example pubkey"
	ifd_conf="ca_file = certs/ca.crt
cert_file = certs/responder.crt
key_file = certs/responder.key"
	;;
reauth-honoured)
	ifd_conf="auth_lifetime_s = 20
auth_grace_s = 5
auth_reauth_s = 17"
	;;
vip)
	ifd_conf="[pool]
v4 = 10.98.0.0/24
dns = 10.99.0.53
member = 1/2"
	;;
responder-dpd)
	ifd_conf="[ike]
dpd_delay_s = 2
dpd_timeout_s = 6"
	;;
reauth-expire)
	ifd_conf="auth_lifetime_s = 20
auth_grace_s = 2"
	;;
resume-storm)
	auth=none
	RESUME_N=100
	STORM_BIN=${STORM_BIN:-$INTEROP_TOP/build/app/storm/storm}
	[ -x "$STORM_BIN" ] || fail_setup "no storm at $STORM_BIN (set STORM_BIN)"
	IKEFARMD_CREDS_EXTRA=$(awk -v n="$RESUME_N" -v psk="$INTEROP_PSK" \
		'BEGIN { for (i = 0; i < n; i++) printf "email client%u@storm \"%s\"\n", i, psk }')
	IKEFARMD_TS="127.0.0.0 127.255.255.255"	# what storm's clients ask for
	ifd_conf="[tickets]
lifetime_s = 3600"
	;;
resume-route)
	auth=none
	ifd_conf="[tickets]
lifetime_s = 3600"
	;;
pfs-rekey)
	ifd_conf="[child]
proposals = aes256gcm16-x25519"
	;;
ticket-keys)
	auth=none
	echo "5e11e7a1 2025-01-01T00:00:00Z 2035-01-01T00:00:00Z $(openssl rand -hex 32)" \
		>"$INTEROP_RUN/ticket-keys"
	chmod 600 "$INTEROP_RUN/ticket-keys"
	ifd_conf="[tickets]
lifetime_s = 3600
key_file = ticket-keys"
	;;
esac
# The issue's client: AES-CBC-256 + HMAC-SHA2-256, KE for ecp256 first.
[ "$case_name" = ke-preference ] && INTEROP_IKE_CBC=aes256-sha256-ecp256-x25519
ikefarmd_start "$ifd_conf" || fail_setup "ikefarmd did not start"
if [ "$auth" != none ]; then
	interop_start_initiator "$IKEFARMD_PORT" "$auth" "$IKEFARMD_LISTEN" ||
		fail_setup "strongSwan initiator did not start"
fi

"case_${case_name//-/_}"

# shellcheck disable=SC2016 # expanded by eval
interop_check "$case_name: ikefarmd exits cleanly on SIGTERM" \
	eval 'ikefarmd_stop && [ "$IKEFARMD_EXIT" -eq 0 ] &&
	      ikefarmd_log_grep "wiping shard secrets"'
echo "$case_name: $INTEROP_FAILS failed"
[ "$INTEROP_FAILS" -eq 0 ]
