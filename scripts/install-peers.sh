#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Install the third-party IKEv2 peer used by tests/interop and
# tests/vectors/capture_strongswan_kdf.sh: Debian's strongSwan charon + swanctl
# with the plugins they load (kernel-libipsec, openssl, curve25519, gcm, kdf...).
# Idempotent and quiet: does nothing when every package is already installed.
set -eu

PKGS="strongswan-charon strongswan-swanctl libcharon-extra-plugins
libstrongswan-extra-plugins libstrongswan-standard-plugins"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	   grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-peers: need root to install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get -qq update >/dev/null
# shellcheck disable=SC2086 # word splitting of the package list is intended
apt-get -qq install -y --no-install-recommends $missing >/dev/null
