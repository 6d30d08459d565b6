#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Regenerate tests/vectors/strongswan-kdf-sha2.txt (key derivation),
# tests/vectors/strongswan-psk-auth-sha2.txt (PSK AUTH) and the fuzz corpus files
# tests/fuzz/corpus/strongswan-<proposal>-<n>.bin from a REAL peer: two
# Debian strongSwan charons (initiator 127.0.0.1:5610, responder
# 127.0.0.1:5510, PSK) log every IKE key at "ike = 4"; dumpcap records the
# messages on lo.  capture_strongswan_kdf.py parses logs + capture, checks
# SKEYSEED / prf+ / KEYMAT with python3-cryptography and writes the files.
#
# Usage (root): tests/vectors/capture_strongswan_kdf.sh [OUT_DIR [CORPUS_DIR]]
# (defaults: tests/vectors, tests/fuzz/corpus)
# Logs, configs and captures stay in /tmp/peers-vec/.  Both charons (and
# dumpcap) are stopped by PID on exit, also on failure.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:-$here}
corpus=${2:-$top/tests/fuzz/corpus}
run=/tmp/peers-vec
resp_port=5510
init_port=5610

# name:IKE proposal:ESP proposal
cases="
x25519-gcm:aes256gcm16-prfsha256-x25519:aes256gcm16
ecp256-cbc:aes128-sha256-ecp256:aes128-sha256
ecp384-gcm:aes256gcm16-prfsha384-ecp384:aes256gcm16
modp2048-cbc:aes256-sha512-modp2048:aes256-sha512
"

# shellcheck source=tests/interop/lib.sh
. "$top/tests/interop/lib.sh"
interop_install_peers
rm -rf "$run"
interop_setup "$run"
psk=capture-psk-0123456789abcdef
dumpcap_pid=

stop_dumpcap()
{
	[ -n "$dumpcap_pid" ] || return 0
	kill -INT "$dumpcap_pid" 2>/dev/null || true
	wait "$dumpcap_pid" 2>/dev/null || true
	dumpcap_pid=
}
trap 'rc=$?; stop_dumpcap; (exit $rc); interop_cleanup' EXIT

# write_strongswan_conf NAME PORT
write_strongswan_conf()
{
	cat >"$run/$1.strongswan.conf" <<EOC
charon {
  port = $2
  port_nat_t = $(($2 + 1))
  load_modular = no
  load = random nonce openssl curve25519 aes sha1 sha2 hmac gcm kdf pem pkcs1 x509 pubkey kernel-libipsec kernel-netlink socket-default vici
  install_routes = no
  install_virtual_ip = no
  dos_protection = no
  filelog {
    keys {
      path = $run/$1.log
      append = no
      flush_line = yes
      default = 1
      ike = 4
      chd = 4
      enc = 1
      net = 2
    }
  }
  plugins {
    kernel-libipsec {
      allow_peer_ts = yes
    }
    vici {
      socket = unix://$run/$1.vici
    }
  }
}
EOC
}

# write_swanctl_conf NAME IKE ESP: initiator conn "$1" and responder conn "rw"
write_swanctl_conf()
{
	mkdir -p "$run/i-$1" "$run/r-$1"
	cat >"$run/i-$1/swanctl.conf" <<EOC
connections {
  $1 {
    version = 2
    local_addrs = 127.0.0.1
    remote_addrs = 127.0.0.1
    remote_port = $resp_port
    proposals = $2
    mobike = no
    local { auth = psk
            id = initiator.test.example }
    remote { auth = psk
             id = responder.test.example }
    children {
      c { local_ts = 127.0.0.1/32
          remote_ts = 127.0.0.1/32
          esp_proposals = $3
          start_action = none }
    }
  }
}
secrets { ike-1 { secret = "$psk" } }
EOC
	cat >"$run/r-$1/swanctl.conf" <<EOC
connections {
  rw {
    version = 2
    local_addrs = 127.0.0.1
    proposals = $2
    mobike = no
    local { auth = psk
            id = responder.test.example }
    remote { auth = psk
             id = %any }
    children {
      c { local_ts = 127.0.0.1/32
          remote_ts = 127.0.0.1/32
          esp_proposals = $3 }
    }
  }
}
secrets { ike-1 { secret = "$psk" } }
EOC
}

for port in $resp_port $((resp_port + 1)) $init_port $((init_port + 1)); do
	if ! interop_port_free "$port"; then
		echo "capture: UDP port $port is in use" >&2
		exit 1
	fi
done
write_strongswan_conf responder $resp_port
write_strongswan_conf initiator $init_port

args=()
for c in $cases; do
	IFS=: read -r name ike esp <<<"$c"
	echo "capture: $name ($ike, esp $esp)"
	write_swanctl_conf "$name" "$ike" "$esp"
	dumpcap -q -i lo -P -f "udp port $resp_port or udp port $((resp_port + 1))" \
		-w "$run/$name.pcap" 2>"$run/$name.dumpcap" &
	dumpcap_pid=$!
	interop_wait_until 10 grep -q 'Capturing on' "$run/$name.dumpcap"
	interop_start_charon responder "$run/responder.strongswan.conf"
	interop_start_charon initiator "$run/initiator.strongswan.conf"
	interop_sw responder --load-all --noprompt \
		--file "$run/r-$name/swanctl.conf" >/dev/null 2>&1
	interop_sw initiator --load-all --noprompt \
		--file "$run/i-$name/swanctl.conf" >/dev/null 2>&1
	interop_sw initiator --initiate --ike "$name" --child c --timeout 10 \
		>"$run/$name.initiate" 2>&1
	interop_sw initiator --terminate --ike "$name" --timeout 10 \
		>/dev/null 2>&1
	interop_stop_charon initiator
	interop_stop_charon responder
	sleep 0.5	# let dumpcap write the last packets
	stop_dumpcap
	mv "$run/initiator.log" "$run/$name.initiator.log"
	mv "$run/responder.log" "$run/$name.responder.log"
	args+=("$name:$ike:$esp")
done

/usr/bin/python3 "$here/capture_strongswan_kdf.py" --run "$run" \
	--out "$out/strongswan-kdf-sha2.txt" \
	--out-auth "$out/strongswan-psk-auth-sha2.txt" \
	--corpus "$corpus" --psk "$psk" \
	--version "$("$INTEROP_CHARON" --version 2>&1 | sed -n "s/.*\(strongSwan [0-9.]*\).*/\1/p")" \
	--package "$(dpkg-query -W -f='${Version}' strongswan-charon)" \
	"${args[@]}"
