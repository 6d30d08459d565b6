#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Install the third-party IKEv2 peers used by tests/interop and
# tests/vectors/capture_strongswan_kdf.sh:
#  - Debian's strongSwan charon + swanctl with the plugins they load
#    (kernel-libipsec, openssl, curve25519, gcm, kdf...);
#  - Debian's libreswan 4.10 (pluto, whack), unpacked into /opt/libreswan: its
#    package Conflicts with strongSwan's, so apt cannot install both.  Only its
#    library dependencies are apt-installed; pluto runs from /opt/libreswan.
#    pluto 4.10 execs /usr/libexec/ipsec/addconn by a hard-coded path, so that
#    path becomes a symlink when it does not exist (strongSwan does not use it).
# libreswan 5.4 is built from source by tests/interop/libreswan/build5.sh.
#
#	install-peers.sh [strongswan] [libreswan]	(default: both)
#
# Idempotent and quiet: does nothing when everything is already installed.
set -eu

SS_PKGS="strongswan-charon strongswan-swanctl libcharon-extra-plugins
libstrongswan-extra-plugins libstrongswan-standard-plugins"
LSW_DEPS="iproute2 libnss3-tools libnss3 libnspr4 libaudit1 libcap-ng0
libcurl3-nss libevent-core-2.1-7 libevent-pthreads-2.1-7 libldap-2.5-0 libldns3
libunbound8"
LSW_DIR=/opt/libreswan
LSW_PLUTO=$LSW_DIR/usr/libexec/ipsec/pluto

want_ss=0 want_lsw=0
[ $# -eq 0 ] && set -- strongswan libreswan
for w in "$@"; do
	case $w in
	strongswan) want_ss=1 ;;
	libreswan) want_lsw=1 ;;
	*) echo "install-peers: unknown peer '$w'" >&2; exit 2 ;;
	esac
done

missing=""
pkgs=""
[ $want_ss -eq 1 ] && pkgs="$SS_PKGS"
[ $want_lsw -eq 1 ] && pkgs="$pkgs $LSW_DEPS"
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	   grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
need_lsw=0
if [ $want_lsw -eq 1 ] && { [ ! -x "$LSW_PLUTO" ] || [ ! -e /usr/libexec/ipsec ]; }; then
	need_lsw=1
fi
[ -z "$missing" ] && [ $need_lsw -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-peers: need root to install:$missing${need_lsw:+ libreswan}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get -qq update >/dev/null
if [ -n "$missing" ]; then
	# shellcheck disable=SC2086 # word splitting of the package list is intended
	apt-get -qq install -y --no-install-recommends $missing >/dev/null
fi
if [ $need_lsw -eq 1 ]; then
	if [ ! -x "$LSW_PLUTO" ]; then
		tmp=$(mktemp -d)
		chmod 755 "$tmp"	# apt downloads as _apt
		(cd "$tmp" && apt-get -qq download libreswan >/dev/null)
		mkdir -p "$LSW_DIR"
		dpkg -x "$tmp"/libreswan_*.deb "$LSW_DIR"
		rm -rf "$tmp"
	fi
	[ -e /usr/libexec/ipsec ] ||
		ln -s "$LSW_DIR/usr/libexec/ipsec" /usr/libexec/ipsec
	"$LSW_PLUTO" --version >/dev/null
fi
