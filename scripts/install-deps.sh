#!/usr/bin/env bash
# Installs the Debian packages ikefarm builds and tests with. Idempotent:
# does nothing (and needs no network) when everything is already there.
set -euo pipefail

pkgs=(
	gcc pkg-config meson ninja-build
	# libFuzzer (clang's -fsanitize=fuzzer) for the fuzz targets' bounded runs
	clang
	libdpdk-dev dpdk dpdk-dev libipsec-mb-dev libssl-dev openssl libjemalloc-dev libcmocka-dev
	python3 python3-cryptography
	# storm and the benchmark draw their plots; the Wireshark test dissects a capture.
	gnuplot-nox tshark
	# the metrics test parses the scrape with the Prometheus client's own parser
	python3-prometheus-client
	# the syslog test runs a real rsyslogd on a /dev/log of its own mount namespace
	rsyslog
	# ethdev driver tests on veths: checksum offloads off (ethtool), ping for ARP/ND/ICMP
	iproute2 ethtool iputils-ping
	# the Debian package (debian/) and its test: build, lintian, a clean chroot
	debhelper dpkg-dev fakeroot lintian debootstrap cpio
)
# Real peers for the interop suite (strongSwan's charon with user-space ESP).
if [ "${IKEFARM_NO_PEERS:-0}" != 1 ]; then
	pkgs+=(strongswan-charon strongswan-swanctl libcharon-extra-plugins
		libstrongswan-extra-plugins libstrongswan-standard-plugins iproute2
		# libreswan 5.4, built from source by tests/interop/libreswan/build5.sh
		# (Debian's 4.10 comes from scripts/install-peers.sh).
		make bison flex libnss3-dev libnspr4-dev libevent-dev libnss3-tools xz-utils)
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
$sudo apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
