#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Build upstream libreswan 5.4 (RFC 5723 resumption, RFC 9242 IKE_INTERMEDIATE,
# RFC 9370 additional key exchanges; Debian 12 only packages 4.10) from its
# source tarball into PREFIX, once: a later call with the same tarball only
# checks the result.  Everything (programs, config defaults, run dir) stays
# under PREFIX; nothing is written to /etc or /usr.
#
#	build5.sh PREFIX [TARBALL]
#
# TARBALL defaults to $LIBRESWAN5_TARBALL, else ../shared/peers/src/
# libreswan-5.4.tar.xz beside the clone.  Exits 77 (loudly) when the tarball
# is absent, 1 when the build fails.  Built without DNSSEC, libcurl, PAM,
# libcap-ng, seccomp, EdDSA and ML-KEM (Debian 12's NSS 3.87 lacks it); about
# a minute on two cores.  Build dependencies: scripts/install-deps.sh.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
prefix=${1:?usage: build5.sh PREFIX [TARBALL]}
tarball=${2:-${LIBRESWAN5_TARBALL:-$top/../shared/peers/src/libreswan-5.4.tar.xz}}
pluto=$prefix/libexec/ipsec/pluto

if [ ! -r "$tarball" ]; then
	echo "libreswan5: SKIP: no source tarball at $tarball" \
		"(set LIBRESWAN5_TARBALL): libreswan 5.4 cases cannot run" >&2
	exit 77
fi
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
pluto=$prefix/libexec/ipsec/pluto
exec 9>"$prefix.lock"
flock 9	# one build at a time; the others wait and reuse it
sum=$(sha256sum <"$tarball" | cut -d' ' -f1)
if [ -x "$pluto" ] && [ "$(cat "$prefix/.tarball" 2>/dev/null)" = "$sum" ]; then
	exit 0
fi
for tool in bison flex make pkg-config; do
	command -v "$tool" >/dev/null || {
		echo "libreswan5: $tool missing: run scripts/install-deps.sh" >&2
		exit 1
	}
done
rm -rf "$prefix.src"
mkdir -p "$prefix.src"
tar -C "$prefix.src" -xf "$tarball"
cd "$prefix.src"/libreswan-*
set -- USE_DNSSEC=false USE_LIBCURL=false USE_AUTHPAM=false \
	USE_SYSTEMD_WATCHDOG=false USE_LIBCAP_NG=false USE_SECCOMP=false \
	USE_ML_KEM_768=false USE_ML_KEM_1024=false USE_EDDSA=false \
	USE_LINUX_AUDIT=false USE_LABELED_IPSEC=false USE_SELINUX=false \
	INITSYSTEM=none INSTALL_INITSYSTEM=false \
	PREFIX="$prefix" SYSCONFDIR="$prefix/etc" VARDIR="$prefix/var" \
	RUNDIR="$prefix/run" LOGDIR="$prefix/var/log"
echo "libreswan5: building $(basename "$tarball") into $prefix" >&2
# "base" is the programs without the man pages (those need xmlto).
if ! nice make -j"$(nproc)" "$@" base >"$prefix.build.log" 2>&1 ||
   ! make "$@" install-base >>"$prefix.build.log" 2>&1; then
	tail -n 30 "$prefix.build.log" >&2
	echo "libreswan5: build failed, log in $prefix.build.log" >&2
	exit 1
fi
cd /
rm -rf "$prefix.src"
"$pluto" --version >/dev/null
echo "$sum" >"$prefix/.tarball"
