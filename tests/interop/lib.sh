# SPDX-License-Identifier: BSD-3-Clause
#
# tests/interop/lib.sh: drive a real IKEv2 peer (Debian's strongSwan 5.9.8
# charon) against a responder on 127.0.0.1.  Source it from bash:
#
#	. tests/interop/lib.sh
#	interop_install_peers
#	interop_setup                          # run dir + cleanup trap
#	interop_start_initiator 500            # PSK conns -> 127.0.0.1:500
#	interop_initiate gcm-x25519 c-gcm
#	interop_ike_established gcm-x25519 && interop_child_installed gcm-x25519 c-gcm
#
# Every charon runs in its own mount namespace with a tmpfs over /run, so its
# compiled-in pid file (/run/charon.pid) never clashes with another charon on
# the machine.  Each is stopped by the PID recorded here, also on failure
# (EXIT trap).  Logs, sockets and configs stay in $INTEROP_RUN (under /tmp).
#
# Connections loaded into the initiator (see conf/initiator/):
#	gcm-x25519 / c-gcm	IKE $INTEROP_IKE_GCM, ESP $INTEROP_ESP_GCM, PSK
#	cbc-ecp256 / c-cbc	IKE $INTEROP_IKE_CBC, ESP $INTEROP_ESP_CBC, PSK
#	cert-ecdsa / c-cert	IKE $INTEROP_IKE_GCM, ESP $INTEROP_ESP_GCM, ECDSA
#				certs (only with auth "cert")
# IDs: initiator.test.example (PSK), cert-initiator.test.example (cert);
# the responder is expected to be responder.test.example.

INTEROP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
INTEROP_CONF=$INTEROP_DIR/conf
INTEROP_TOP=$(cd "$INTEROP_DIR/../.." && pwd)
# shellcheck source=tests/lib/stop_pid.sh
. "$INTEROP_TOP/tests/lib/stop_pid.sh"

INTEROP_CHARON=${INTEROP_CHARON:-/usr/lib/ipsec/charon}
INTEROP_SWANCTL=${INTEROP_SWANCTL:-/usr/sbin/swanctl}
INTEROP_PSK=${INTEROP_PSK:-ikefarm-interop-psk-0123456789abcdef}
# Local ports of the initiator; charon sends IKE_AUTH from the NAT-T port.
INTEROP_INIT_PORT=${INTEROP_INIT_PORT:-5600}
INTEROP_INIT_NATT_PORT=${INTEROP_INIT_NATT_PORT:-5601}
INTEROP_LOCAL_ADDR=${INTEROP_LOCAL_ADDR:-127.0.0.1}
INTEROP_IKE_GCM=${INTEROP_IKE_GCM:-aes256gcm16-prfsha256-x25519}
INTEROP_ESP_GCM=${INTEROP_ESP_GCM:-aes256gcm16}
INTEROP_IKE_CBC=${INTEROP_IKE_CBC:-aes128-sha256-ecp256}
INTEROP_ESP_CBC=${INTEROP_ESP_CBC:-aes128-sha256}
# charon log levels (filelog in $INTEROP_RUN/<name>.log); 4 logs keys.
INTEROP_LOG_IKE=${INTEROP_LOG_IKE:-2}
INTEROP_LOG_CHD=${INTEROP_LOG_CHD:-1}
INTEROP_LOG_NET=${INTEROP_LOG_NET:-1}

# Network namespace the peers (charon, the test's own senders) run in; empty:
# the caller's (loopback tests).  Set by the ethdev harness (ikefarmd_lib.sh).
INTEROP_NETNS=${INTEROP_NETNS:-}

INTEROP_RUN=
INTEROP_RUN_OWNED=0
INTEROP_NAMES=
INTEROP_FAILS=0

interop_log()
{
	echo "interop: $*" >&2
}

# interop_install_peers: install charon/swanctl and plugins if missing.
interop_install_peers()
{
	if [ -x "$INTEROP_CHARON" ] && [ -x "$INTEROP_SWANCTL" ] &&
	   [ -e /usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so ]; then
		return 0
	fi
	"$INTEROP_TOP/scripts/install-peers.sh"
}

# interop_setup [DIR]: use DIR (created if needed) or a new /tmp directory
# for configs, logs and sockets; install the cleanup trap.
interop_setup()
{
	if [ -n "${1:-}" ]; then
		INTEROP_RUN=$1
		mkdir -p "$INTEROP_RUN" || return 1
	else
		INTEROP_RUN=$(mktemp -d /tmp/ikefarm-interop.XXXXXX) || return 1
		INTEROP_RUN_OWNED=1
	fi
	trap interop_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# interop_cleanup: stop every charon started here (by PID).  Removes the run
# directory made by interop_setup when the script succeeds, unless
# INTEROP_KEEP is set; otherwise says where the logs are.
interop_cleanup()
{
	local rc=$? name

	for name in $INTEROP_NAMES; do
		interop_stop_charon "$name"
	done
	[ -n "$INTEROP_RUN" ] || return 0
	if [ "$rc" -eq 0 ] && [ "$INTEROP_RUN_OWNED" -eq 1 ] &&
	   [ -z "${INTEROP_KEEP:-}" ]; then
		rm -rf "$INTEROP_RUN"
	else
		interop_log "logs in $INTEROP_RUN"
	fi
}

# interop_render TEMPLATE OUT KEY=VALUE...: replace @KEY@ in TEMPLATE;
# appends to OUT.  Fails if a placeholder is left over.
interop_render()
{
	local tmpl=$1 out=$2 kv script=
	shift 2

	for kv in "$@"; do
		# '|' is the sed delimiter: values are paths, ports, proposals.
		script="${script}s|@${kv%%=*}@|${kv#*=}|g;"
	done
	sed -e "$script" "$tmpl" >>"$out" || return 1
	if grep -n '@[A-Z_]*@' "$out" >&2; then
		interop_log "unfilled placeholder in $out (from $tmpl)"
		return 1
	fi
}

# interop_in_ns CMD...: run CMD in $INTEROP_NETNS (if set).
interop_in_ns()
{
	if [ -n "$INTEROP_NETNS" ]; then
		ip netns exec "$INTEROP_NETNS" "$@"
	else
		"$@"
	fi
}

# interop_port_free PORT: true if no UDP socket is bound to PORT.
interop_port_free()
{
	[ -z "$(interop_in_ns ss -Hlun "sport = :$1" 2>/dev/null)" ]
}

# interop_sw NAME ARGS...: swanctl against charon NAME (command first).
interop_sw()
{
	local name=$1
	shift
	"$INTEROP_SWANCTL" "$@" --uri "unix://$INTEROP_RUN/$name.vici"
}

# interop_start_charon NAME STRONGSWAN_CONF: start Debian's charon with that
# config (its vici socket must be $INTEROP_RUN/NAME.vici) in a private mount
# namespace; wait until it answers on vici.
interop_start_charon()
{
	local name=$1 conf=$2 pid ns=()

	if [ -e "$INTEROP_RUN/$name.pid" ]; then
		interop_log "charon $name already started"
		return 1
	fi
	# In the peers' network namespace, if any.
	[ -n "$INTEROP_NETNS" ] && ns=(ip netns exec "$INTEROP_NETNS")
	# ip netns exec and unshare without --fork exec: $! is charon's own PID.
	# shellcheck disable=SC2016 # $0 is expanded by the inner sh
	STRONGSWAN_CONF=$conf "${ns[@]}" unshare --mount sh -c \
		'mount -t tmpfs -o mode=0755 tmpfs /run && exec "$0"' \
		"$INTEROP_CHARON" >"$INTEROP_RUN/$name.stdout" 2>&1 &
	pid=$!
	echo "$pid" >"$INTEROP_RUN/$name.pid"
	INTEROP_NAMES="$name $INTEROP_NAMES"	# stopped in reverse order
	for _ in $(seq 100); do
		if ! kill -0 "$pid" 2>/dev/null; then
			interop_log "charon $name (pid $pid) exited:"
			tail -n 20 "$INTEROP_RUN/$name.stdout" >&2
			return 1
		fi
		if [ -S "$INTEROP_RUN/$name.vici" ] &&
		   interop_sw "$name" --stats >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
	done
	interop_log "charon $name (pid $pid) not ready after 10 s"
	return 1
}

# interop_stop_charon NAME: SIGTERM the recorded PID, SIGKILL after 5 s.
interop_stop_charon()
{
	local name=$1 pid n keep=

	pid=$(cat "$INTEROP_RUN/$name.pid" 2>/dev/null) || return 0
	stop_pid "$pid" "charon $name"
	rm -f "$INTEROP_RUN/$name.pid" "$INTEROP_RUN/$name.vici"
	for n in $INTEROP_NAMES; do
		[ "$n" = "$name" ] || keep="$keep$n "
	done
	INTEROP_NAMES=$keep
	return 0
}

# interop_make_certs [DIR]: ECDSA P-256 test CA plus responder and initiator
# certificates (SAN = their IDs) and keys in DIR (default $INTEROP_RUN/certs).
interop_make_certs()
{
	local dir=${1:-$INTEROP_RUN/certs} who id

	mkdir -p "$dir" || return 1
	[ -s "$dir/initiator.crt" ] && return 0
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		-out "$dir/ca.key" 2>/dev/null &&
	openssl req -x509 -new -key "$dir/ca.key" -sha256 -days 30 \
		-subj "/O=ikefarm test/CN=ikefarm interop CA" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" \
		-out "$dir/ca.crt" || return 1
	for who in responder initiator; do
		id=$who.test.example
		[ "$who" = initiator ] && id=cert-initiator.test.example
		openssl genpkey -algorithm EC \
			-pkeyopt ec_paramgen_curve:P-256 \
			-out "$dir/$who.key" 2>/dev/null &&
		openssl req -new -key "$dir/$who.key" \
			-subj "/O=ikefarm test/CN=$id" -out "$dir/$who.csr" &&
		printf 'subjectAltName=DNS:%s\nkeyUsage=critical,digitalSignature\n' \
			"$id" >"$dir/$who.ext" &&
		openssl x509 -req -in "$dir/$who.csr" -CA "$dir/ca.crt" \
			-CAkey "$dir/ca.key" -set_serial "0x$(openssl rand -hex 8)" \
			-sha256 -days 30 -extfile "$dir/$who.ext" \
			-out "$dir/$who.crt" 2>/dev/null || return 1
	done
}

# interop_render_peer ROLE NAME PORT NATT_PORT AUTH KEY=VALUE...: write
# $INTEROP_RUN/NAME.strongswan.conf and NAME.swanctl/swanctl.conf (plus the
# private key for "cert") from conf/ROLE/.
interop_render_peer()
{
	local role=$1 name=$2 port=$3 natt=$4 auth=$5
	local base=$INTEROP_RUN/$name role_key=responder
	shift 5
	local common=("$@" "PSK=$INTEROP_PSK"
		"IKE_GCM=$INTEROP_IKE_GCM" "ESP_GCM=$INTEROP_ESP_GCM"
		"IKE_CBC=$INTEROP_IKE_CBC" "ESP_CBC=$INTEROP_ESP_CBC"
		"CERT_DIR=$INTEROP_RUN/certs")

	[ "$role" = initiator ] && role_key=initiator
	case $auth in
	psk|cert) ;;
	*) interop_log "auth must be psk or cert, not '$auth'"; return 1 ;;
	esac
	if ! interop_port_free "$port" || ! interop_port_free "$natt"; then
		interop_log "UDP port $port or $natt is already in use"
		return 1
	fi
	# swanctl takes its credential folders from the directory of --file
	rm -rf "$base.strongswan.conf" "$base.swanctl"
	mkdir -p "$base.swanctl" && (cd "$base.swanctl" &&
		mkdir x509 x509ca x509ocsp x509aa x509ac x509crl pubkey private \
			rsa ecdsa bliss pkcs8 pkcs12) || return 1
	interop_render "$INTEROP_CONF/$role/strongswan.conf.in" \
		"$base.strongswan.conf" "PORT=$port" "NATT_PORT=$natt" \
		"VICI=$base.vici" "LOG=$base.log" \
		"LOG_IKE=$INTEROP_LOG_IKE" "LOG_CHD=$INTEROP_LOG_CHD" \
		"LOG_NET=$INTEROP_LOG_NET" "${common[@]}" || return 1
	interop_render "$INTEROP_CONF/$role/swanctl-psk.conf.in" \
		"$base.swanctl/swanctl.conf" "${common[@]}" || return 1
	if [ "$auth" = cert ]; then
		interop_make_certs "$INTEROP_RUN/certs" &&
		cp "$INTEROP_RUN/certs/$role_key.key" "$base.swanctl/private/" &&
		interop_render "$INTEROP_CONF/$role/swanctl-cert.conf.in" \
			"$base.swanctl/swanctl.conf" "${common[@]}" || return 1
	fi
}

# interop_load NAME: (re)load NAME.swanctl/swanctl.conf into charon NAME.
interop_load()
{
	interop_sw "$1" --load-all --noprompt \
		--file "$INTEROP_RUN/$1.swanctl/swanctl.conf" \
		>"$INTEROP_RUN/$1.load" 2>&1 ||
	{ cat "$INTEROP_RUN/$1.load" >&2; return 1; }
}

# interop_start_initiator TARGET_PORT [psk|cert] [TARGET_ADDR]: start charon
# "initiator" on $INTEROP_LOCAL_ADDR ports $INTEROP_INIT_PORT/_NATT_PORT with
# the conf/initiator connections toward TARGET_ADDR (127.0.0.1):TARGET_PORT.
# With "cert" the ECDSA connection cert-ecdsa is loaded as well.
interop_start_initiator()
{
	local port=$1 auth=${2:-psk} addr=${3:-127.0.0.1}

	interop_render_peer initiator initiator "$INTEROP_INIT_PORT" \
		"$INTEROP_INIT_NATT_PORT" "$auth" "TARGET_PORT=$port" \
		"TARGET_ADDR=$addr" "LOCAL_ADDR=$INTEROP_LOCAL_ADDR" &&
	interop_start_charon initiator "$INTEROP_RUN/initiator.strongswan.conf" &&
	interop_load initiator
}

# interop_start_ss_responder PORT [psk|cert] [LISTEN_ADDR]: start the
# reference strongSwan responder "responder" (conf/ss-responder) on
# LISTEN_ADDR (127.0.0.1):PORT, NAT-T port PORT+1.  Its connections are
# rw-psk and, with "cert", rw-cert.
interop_start_ss_responder()
{
	local port=$1 auth=${2:-psk} addr=${3:-127.0.0.1}

	interop_render_peer ss-responder responder "$port" "$((port + 1))" \
		"$auth" "LISTEN_ADDR=$addr" &&
	interop_start_charon responder "$INTEROP_RUN/responder.strongswan.conf" &&
	interop_load responder
}

# interop_initiate CONN [CHILD] [TIMEOUT_S]: blocking initiate on the
# initiator; without CHILD an IKE-only (childless) SA.  Output goes to
# $INTEROP_RUN/initiate-CONN.out.
interop_initiate()
{
	local conn=$1 child=${2:-} tmo=${3:-10} args=(--ike "$1")

	[ -n "$child" ] && args+=(--child "$child")
	interop_sw initiator --initiate "${args[@]}" --timeout "$tmo" \
		>"$INTEROP_RUN/initiate-$conn.out" 2>&1
}

# interop_list_sas [CONN] [PEER]: swanctl --list-sas on PEER (initiator).
interop_list_sas()
{
	local conn=${1:-} peer=${2:-initiator}

	if [ -n "$conn" ]; then
		interop_sw "$peer" --list-sas --ike "$conn"
	else
		interop_sw "$peer" --list-sas
	fi
}

# interop_sas [PEER]: the SAs of PEER (initiator), one line each, every CHILD
# after its IKE_SA:
#	ike CONN #UNIQUE STATE SPI_I SPI_R
#	child CONN CHILD #UNIQUE STATE SPI_IN SPI_OUT
interop_sas()
{
	interop_sw "${1:-initiator}" --list-sas 2>/dev/null | awk '
	function flush() {
		if (child != "")
			print "child", conn, child, cid, cst, spi_in, spi_out
		child = ""
	}
	/^[^ ].*: #[0-9]+, / {
		flush()
		conn = $1; sub(/:$/, "", conn)
		st = $3; sub(/,$/, "", st)
		spii = $5; sub(/_i\*?$/, "", spii)
		spir = $6; sub(/_r\*?$/, "", spir)
		id = $2; sub(/,$/, "", id)
		print "ike", conn, id, st, spii, spir
		next
	}
	/^  [^ ]+: #[0-9]+, reqid / {
		flush()
		child = $1; sub(/:$/, "", child)
		cid = $2; sub(/,$/, "", cid)
		cst = $5; sub(/,$/, "", cst)
		spi_in = "-"; spi_out = "-"
		next
	}
	/^    in  / { spi_in = $2; sub(/,$/, "", spi_in); next }
	/^    out / { spi_out = $2; sub(/,$/, "", spi_out); next }
	END { flush() }'
}

# interop_ike_established CONN [PEER]: true if an IKE_SA of CONN is ESTABLISHED.
interop_ike_established()
{
	interop_sas "${2:-initiator}" |
		awk -v c="$1" '$1 == "ike" && $2 == c && $4 == "ESTABLISHED" { f = 1 }
		END { exit !f }'
}

# interop_child_installed CONN CHILD [PEER]: true if a CHILD_SA CHILD under
# IKE_SA CONN is INSTALLED.
interop_child_installed()
{
	interop_sas "${3:-initiator}" |
		awk -v c="$1" -v ch="$2" '$1 == "child" && $2 == c &&
		$3 == ch && $5 == "INSTALLED" { f = 1 } END { exit !f }'
}

# interop_ike_spis CONN [PEER]: "SPIi SPIr" of the ESTABLISHED IKE_SA of CONN.
interop_ike_spis()
{
	interop_sas "${2:-initiator}" |
		awk -v c="$1" '$1 == "ike" && $2 == c && $4 == "ESTABLISHED" {
		print $5, $6; exit }'
}

# interop_child_spis CONN CHILD [PEER]: "SPI_in SPI_out" of the INSTALLED CHILD.
interop_child_spis()
{
	interop_sas "${3:-initiator}" |
		awk -v c="$1" -v ch="$2" '$1 == "child" && $2 == c &&
		$3 == ch && $5 == "INSTALLED" { print $6, $7; exit }'
}

# interop_ike_count CONN [PEER]: number of IKE_SAs of CONN in any state.
interop_ike_count()
{
	interop_sas "${2:-initiator}" |
		awk -v c="$1" '$1 == "ike" && $2 == c { n++ } END { print n + 0 }'
}

# interop_child_rekeyed CONN CHILD OLD_SPIS [PEER]: true once exactly one
# CHILD_SA CHILD is INSTALLED and its "SPI_in SPI_out" differ from OLD_SPIS
# (the old SA is gone).  Use with interop_wait_until.
interop_child_rekeyed()
{
	local now n

	now=$(interop_child_spis "$1" "$2" "${4:-}")
	n=$(interop_sas "${4:-initiator}" | awk -v c="$1" -v ch="$2" \
		'$1 == "child" && $2 == c && $3 == ch { n++ } END { print n + 0 }')
	[ -n "$now" ] && [ "$now" != "$3" ] && [ "$n" -eq 1 ]
}

# interop_ike_rekeyed CONN OLD_SPIS [PEER]: true once exactly one IKE_SA of
# CONN exists, ESTABLISHED, with "SPIi SPIr" other than OLD_SPIS.
interop_ike_rekeyed()
{
	local now

	now=$(interop_ike_spis "$1" "${3:-}")
	[ -n "$now" ] && [ "$now" != "$2" ] &&
		[ "$(interop_ike_count "$1" "${3:-}")" -eq 1 ]
}

# interop_rekey_child CHILD [PEER]: start a CREATE_CHILD_SA rekey (returns at
# once; poll with interop_wait_until and interop_child_spis).
interop_rekey_child()
{
	interop_sw "${2:-initiator}" --rekey --child "$1" >/dev/null
}

# interop_rekey_ike CONN [PEER]: start an IKE_SA rekey (asynchronous too).
interop_rekey_ike()
{
	interop_sw "${2:-initiator}" --rekey --ike "$1" >/dev/null
}

# interop_terminate CONN [TIMEOUT_S]: blocking delete of the IKE_SAs of CONN
# on the initiator (INFORMATIONAL with DELETE).
interop_terminate()
{
	interop_sw initiator --terminate --ike "$1" --timeout "${2:-10}" \
		>"$INTEROP_RUN/terminate-$1.out" 2>&1
}

# interop_wait_until TIMEOUT_S CMD...: run CMD every 0.2 s until it succeeds.
interop_wait_until()
{
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.2
	done
}

# interop_check DESC CMD...: run CMD, print "PASS: DESC" or "FAIL: DESC" and
# count failures in INTEROP_FAILS.
interop_check()
{
	local desc=$1
	shift
	if "$@"; then
		echo "PASS: $desc"
	else
		echo "FAIL: $desc"
		INTEROP_FAILS=$((INTEROP_FAILS + 1))
	fi
}
