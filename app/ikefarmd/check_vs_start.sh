#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Every bad file is refused by `ikefarmd --check-config` AND by the daemon's
# start, with the same "FILE:LINE: reason" message (one code path), and a
# good setup with warnings passes both. Usage: check_vs_start.sh IKEFARMD
set -uo pipefail
bin=$1
dir=$(mktemp -d /tmp/ikefarmd-check.XXXXXX)
# The EAL runtime directory of the case that starts EAL (spi-shards) too.
trap 'rm -rf "$dir" "/var/run/dpdk/ikefarm-chk-$$"' EXIT
fails=0
cases=0
# Should a case wrongly pass, the daemon must not take a real port.
port=$((20000 + $$ % 20000))

keyline()
{
	# id not-before not-after secret, valid from an hour ago for a day unless given
	local now
	now=$(date +%s)
	printf '%s %s %s %s\n' "${1:-0a0b0c0d}" "${2:-$((now - 3600))}" "${3:-$((now + 86400))}" \
		"${4:-00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff}"
}

# new_case NAME: a fresh folder with good credentials and keys; prints its path.
new_case()
{
	local c=$dir/$1
	mkdir -p "$c"
	printf 'fqdn alice.example 0123456789abcdef0123456789abcdef\n' >"$c/creds"
	keyline >"$c/keys"
	chmod 600 "$c/creds" "$c/keys"
	echo "$c"
}

# conf DIR [TEXT]: the config with credentials and keys, plus TEXT lines.
conf()
{
	printf '[auth]\ncredentials = creds\n%s\n[tickets]\nkey_file = keys\n' "${2:-}" >"$1/conf"
}

# expect_refusal NAME DIR WANT: both runs fail and print the same error containing WANT.
expect_refusal()
{
	local name=$1 c=$2 want=$3 chk start
	cases=$((cases + 1))
	chk=$("$bin" -- -f "$c/conf" --port $port --listen 127.0.0.1 --check-config 2>&1 >/dev/null)
	local rc_chk=$?
	start=$(timeout 60 "$bin" -- -f "$c/conf" --port $port --listen 127.0.0.1 2>&1 >/dev/null)
	local rc_start=$?
	local chk_all=$chk
	chk=$(grep '^ikefarmd: ' <<<"$chk" | grep -v WARNING | head -n 1)
	[ -n "$chk" ] || chk="(no 'ikefarmd:' line in: $chk_all)"
	if [ $rc_chk -eq 0 ] || [ $rc_start -eq 0 ] || [ $rc_start -eq 124 ]; then
		echo "FAIL $name: check-config rc=$rc_chk, start rc=$rc_start" >&2
		sed 's/^/    start: /' <<<"$start" >&2
		fails=$((fails + 1))
	elif [[ $chk != *"$want"* ]]; then
		echo "FAIL $name: check-config said '$chk', want '$want'" >&2
		fails=$((fails + 1))
	elif ! grep -qxF -- "$chk" <<<"$start"; then
		echo "FAIL $name: start did not say '$chk':" >&2
		sed 's/^/    /' <<<"$start" >&2
		fails=$((fails + 1))
	else
		echo "ok $name: $chk"
	fi
}

c=$(new_case creds-nul)
conf "$c"
printf 'fqdn alice.example 0123456789abcdef0123456789abcdef\nfqdn bob.example k\0tail-of-a-long-psk\n' \
	>"$c/creds"
expect_refusal creds-nul "$c" "$c/creds:2: NUL byte in the line"

c=$(new_case creds-bad-line)
conf "$c"
printf '\nfqdn bob.example\n' >>"$c/creds"
expect_refusal creds-bad-line "$c" "$c/creds:3: expected 'id-type id"

c=$(new_case creds-short-psk-strict)
conf "$c" "strict_files = yes"
printf 'fqdn bob.example k\n' >>"$c/creds"
expect_refusal creds-short-psk-strict "$c" "$c/creds:2: psk of 1 octets"

c=$(new_case creds-mode-strict)
conf "$c" "strict_files = yes"
chmod 644 "$c/creds"
expect_refusal creds-mode-strict "$c" \
	"$c/conf:2: auth.credentials: $c/creds holds secrets but is readable by group or others"

c=$(new_case keys-mode-strict)
conf "$c" "strict_files = yes"
chmod 640 "$c/keys"
expect_refusal keys-mode-strict "$c" "$c/conf:5: tickets.key_file: $c/keys holds secrets"

now=$(date +%s)
c=$(new_case keys-expired)
conf "$c"
keyline 0a0b0c0d $((now - 7200)) $((now - 3600)) >"$c/keys"
expect_refusal keys-expired "$c" "$c/keys:1: no key seals tickets now: the nearest expired at"

c=$(new_case keys-not-yet)
conf "$c"
{ echo "# next key"; keyline 0a0b0c0e $((now + 3600)) $((now + 7200)); } >"$c/keys"
expect_refusal keys-not-yet "$c" "$c/keys:2: no key seals tickets now: the nearest is valid only"

c=$(new_case keys-zero)
conf "$c"
keyline 0a0b0c0d "" "" 0000000000000000000000000000000000000000000000000000000000000000 >"$c/keys"
expect_refusal keys-zero "$c" "$c/keys:1: secret of key 0a0b0c0d is all zero"

c=$(new_case keys-bad-line)
conf "$c"
echo "0a0b0c0e 2025-01-01T00:00:00Z" >>"$c/keys"
expect_refusal keys-bad-line "$c" "$c/keys:2: want 4 fields"

c=$(new_case replay-fp)
printf '[tickets]\nreplay_fp = 1e-300\n' >"$c/conf"
expect_refusal replay-fp "$c" "$c/conf:2: tickets.replay_fp (1e-300)"

c=$(new_case bind-v4)
printf '[net]\nbind_v4 = 192.0.2.300\n' >"$c/conf"
expect_refusal bind-v4 "$c" "$c/conf:2: net.bind_v4: '192.0.2.300' is not an IPv4 address"

c=$(new_case spi-slots)
printf '[runtime]\nsa_capacity = 64\nhalfopen_capacity = 64\nspi_slot_bits = 4\n[ike]\ncookie_threshold = 32\n' \
	>"$c/conf"
expect_refusal spi-slots "$c" "$c/conf:2: runtime.sa_capacity + halfopen_capacity (128) is above the 2^4"

c=$(new_case spi-tag)
printf '[runtime]\nspi_shard_bits = 16\nspi_slot_bits = 24\n' >"$c/conf"
expect_refusal spi-tag "$c" "$c/conf:3: runtime.spi_shard_bits (16) + spi_slot_bits (24) leave"

# Three EAL lcores on one CPU, one SPI shard bit: checked after EAL at start.
c=$(new_case spi-shards)
printf '[eal]\nargs = "--no-huge --no-pci -m 256 --lcores=(0-2)@0 --file-prefix=ikefarm-chk-%s"\n[runtime]\nspi_shard_bits = 1\nsa_capacity = 1024\nhalfopen_capacity = 256\n[ike]\ncookie_threshold = 128\n' \
	$$ >"$c/conf"
expect_refusal spi-shards "$c" "$c/conf:4: 3 workers (EAL lcores) do not fit"

c=$(new_case dup-proposals)
printf '[child]\nproposals = aes128gcm16, aes256gcm16, aes128gcm16\n' >"$c/conf"
expect_refusal dup-proposals "$c" "$c/conf:2: proposal 3 ('aes128gcm16') repeats proposal 1"

c=$(new_case conf-nul)
printf '[ike]\nlifetime_s = 60\0\n' >"$c/conf"
expect_refusal conf-nul "$c" "$c/conf:2: NUL byte in the line"

c=$(new_case cert-missing)
printf '[auth]\nca_file = nope.pem\n' >"$c/conf"
expect_refusal cert-missing "$c" "$c/conf:2: auth.ca_file: $c/nope.pem: no PEM CA certificate"

# Warnings (not strict): check-config passes, names them, and counts them.
c=$(new_case warnings)
conf "$c"
printf 'fqdn bob.example short\n' >>"$c/creds"
chmod 644 "$c/creds"
cases=$((cases + 1))
out=$("$bin" -- -f "$c/conf" --check-config 2>&1)
if [ $? -ne 0 ] || ! grep -q "WARNING: $c/creds:2: psk of 5 octets" <<<"$out" ||
	! grep -q "WARNING: $c/conf:2: auth.credentials: .* readable by group or others" <<<"$out" ||
	! grep -q "users, 2 warnings" <<<"$out"; then
	echo "FAIL warnings: $out" >&2
	fails=$((fails + 1))
else
	echo "ok warnings: 2 warnings, accepted"
fi

echo "$cases cases, $fails failed"
[ $fails -eq 0 ]
