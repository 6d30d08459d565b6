# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# Shared by the through-the-tunnel tests (run_tunnel.sh,
# run_tunnel_inside.sh), sourced after lib.sh and interop_setup:
#   stat COUNTER [TELEMETRY-COMMAND]
#       a counter of the daemon whose telemetry socket is $TEL (/ikefarm/esp).
#   cn CMD..., pn CMD...
#       CMD in the client's ($NS_C) or the protected network's ($NS_P) namespace.
#   tunnel_start_charon NS CONN-LINE CHILD-LINE
#       strongSwan's charon (kernel-libipsec: user-space ESP over a TUN) in
#       network namespace NS as "initiator", connection rw (192.0.2.2 to
#       ikefarmd at 192.0.2.1, PSK) with child net to 10.99.0.0/24 (or
#       TUNNEL_REMOTE_TS); the extra lines go into the connection and the
#       child (vips, local_ts).
#       TUNNEL_FRAGMENT_SIZE=N: charon's fragment_size (RFC 7383: it sends
#       every encrypted message above N - 28 octets as Encrypted Fragments).
#       TUNNEL_ESP_PROPOSALS: the child's esp_proposals (aes256gcm16).
#   tunnel_credentials
#       $INTEROP_RUN/credentials: the client's PSK (initiator.test.example), mode 600.
#   tunnel_wait_daemon WHAT
#       true once the telemetry of the ikefarmd at $DAEMON_PID answers (15 s at
#       most); else "FAIL: ikefarmd WHAT did not come up", its log's tail, false.
#   tunnel_stop_daemon
#       charon "initiator" and the ikefarmd at $DAEMON_PID stopped (DAEMON_PID
#       cleared), its EAL runtime directory /var/run/dpdk/$PREFIX removed.
#   tunnel_cleanup [LINK...]
#       the netns handle of tunnel_start_charon, the namespaces $NS_C and
#       $NS_P and our ends of the LINKs (veths) removed.
#   tunnel_trap [LINK...]
#       on exit: tunnel_stop_daemon, tunnel_cleanup LINK..., interop_cleanup
#       (which keeps the logs unless the script exits 0).
#   tcp_stream RECV_NS SEND_NS DST PORT OUT FILE...
#       the files over one TCP connection, true when OUT has their SHA-256;
#       TCP_SRC=ADDR binds the sender (python: no netcat on a fresh machine).

stat()
{
	python3 "$INTEROP_DIR/telemetry.py" get "$TEL" "${2:-/ikefarm/esp}" |
		awk -v k="$1" '$1 == k { print $2; f = 1 } END { exit !f }'
}

cn() { ip netns exec "$NS_C" "$@"; }
pn() { ip netns exec "$NS_P" "$@"; }

tunnel_start_charon()
{
	local ns=$1 conn=$2 child=$3

	cat >"$INTEROP_RUN/initiator.strongswan.conf" <<CONF
charon {
  load_modular = no
  load = random nonce openssl curve25519 aes sha1 sha2 hmac gcm kdf kernel-libipsec kernel-netlink socket-default vici resolve attr
  install_routes = yes
  install_virtual_ip = yes
  retransmit_tries = 3
  retransmit_timeout = 1.0
  ${TUNNEL_FRAGMENT_SIZE:+fragment_size = $TUNNEL_FRAGMENT_SIZE}
  filelog {
    log { path = $INTEROP_RUN/initiator.log
          time_format = %T
          default = 1
          ike = 2
          chd = 2
          flush_line = yes }
  }
  plugins {
    vici { socket = unix://$INTEROP_RUN/initiator.vici }
    kernel-libipsec { allow_peer_ts = yes }
  }
}
CONF
	mkdir -p "$INTEROP_RUN/initiator.swanctl"
	cat >"$INTEROP_RUN/initiator.swanctl/swanctl.conf" <<CONF
connections {
  rw {
    version = 2
    local_addrs = 192.0.2.2
    remote_addrs = 192.0.2.1
    proposals = aes256gcm16-prfsha256-x25519
    $conn
    mobike = no
    local { auth = psk
            id = initiator.test.example }
    remote { auth = psk
             id = responder.test.example }
    children {
      net {
        $child
        remote_ts = ${TUNNEL_REMOTE_TS:-10.99.0.0/24}
        esp_proposals = ${TUNNEL_ESP_PROPOSALS:-aes256gcm16}
        start_action = none
      }
    }
  }
}
secrets { ike-rw { id-i = initiator.test.example
                   id-r = responder.test.example
                   secret = "$INTEROP_PSK" } }
CONF
	# charon gets its own /run (interop_start_charon), which hides /run/netns.
	if [ ! -e "$INTEROP_RUN/netns-c" ]; then
		touch "$INTEROP_RUN/netns-c" &&
			mount --bind "/run/netns/$ns" "$INTEROP_RUN/netns-c" || return 1
	fi
	cat >"$INTEROP_RUN/charon-ns" <<WRAP
#!/bin/sh
exec nsenter --net=$INTEROP_RUN/netns-c $INTEROP_CHARON
WRAP
	chmod +x "$INTEROP_RUN/charon-ns"
	INTEROP_CHARON=$INTEROP_RUN/charon-ns interop_start_charon initiator \
		"$INTEROP_RUN/initiator.strongswan.conf" && interop_load initiator
}

tunnel_cleanup()
{
	local link

	umount "$INTEROP_RUN/netns-c" 2>/dev/null
	ip netns del "$NS_C" 2>/dev/null
	ip netns del "$NS_P" 2>/dev/null
	for link in "$@"; do
		ip link del "$link" 2>/dev/null
	done
	return 0
}

tunnel_trap()
{
	TUNNEL_LINKS=("$@")
	trap tunnel_exit EXIT
}

tunnel_exit()
{
	local rc=$?

	tunnel_stop_daemon
	tunnel_cleanup "${TUNNEL_LINKS[@]}"
	(exit "$rc")
	interop_cleanup
}

tunnel_credentials()
{
	printf 'fqdn initiator.test.example "%s"\n' "$INTEROP_PSK" >"$INTEROP_RUN/credentials"
	chmod 600 "$INTEROP_RUN/credentials"
}

tunnel_wait_daemon()
{
	for _ in $(seq 150); do
		stat lcores >/dev/null 2>&1 && return 0
		kill -0 "$DAEMON_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "FAIL: ikefarmd $1 did not come up"
	tail -n 30 "$INTEROP_RUN/ikefarmd.log"
	return 1
}

tunnel_stop_daemon()
{
	interop_stop_charon initiator
	stop_pid "$DAEMON_PID" ikefarmd
	DAEMON_PID=
	rm -rf "/var/run/dpdk/$PREFIX"
	return 0
}

cat >"$INTEROP_RUN/tcp.py" <<'PY'
import os, socket, sys, time
if sys.argv[1] == "recv":  # recv PORT OUT
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", int(sys.argv[2]))); s.listen(1); s.settimeout(60)
    c, _ = s.accept(); c.settimeout(60)
    with open(sys.argv[3], "wb") as f:
        while True:
            b = c.recv(65536)
            if not b:
                break
            f.write(b)
else:  # send HOST PORT FILE [FILE...]; TCP_SRC: source address
    src = (os.environ["TCP_SRC"], 0) if os.environ.get("TCP_SRC") else None
    for _ in range(50):
        try:
            c = socket.create_connection((sys.argv[2], int(sys.argv[3])), timeout=60,
                                         source_address=src)
            break
        except OSError:
            time.sleep(0.1)
    for name in sys.argv[4:]:
        with open(name, "rb") as f:
            c.sendall(f.read())
    c.shutdown(socket.SHUT_WR); c.recv(1); c.close()
PY

tcp_stream()
{
	local rns=$1 sns=$2 dst=$3 port=$4 out=$5 l
	shift 5
	rm -f "$out"
	ip netns exec "$rns" timeout 90 python3 "$INTEROP_RUN/tcp.py" recv "$port" "$out" &
	l=$!
	ip netns exec "$sns" timeout 90 python3 "$INTEROP_RUN/tcp.py" send "$dst" "$port" "$@"
	wait "$l"
	[ "$(cat "$@" | sha256sum | cut -d' ' -f1)" = "$(sha256sum <"$out" | cut -d' ' -f1)" ]
}
