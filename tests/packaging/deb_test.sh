#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The Debian package (debian/): built with `dpkg-buildpackage -us -uc -b`
# from a copy of the tree (no build artifacts land in the source tree),
# lintian without errors (warnings listed), `dpkg -c` lists the daemon,
# storm, ikefarmctl when the tree has it, the config (a conffile), the
# systemd unit (enabled by the maintainer scripts), man pages and docs.
# Then a clean Debian 12 chroot (debootstrap from the machine's own apt
# mirror; the tarball is cached in BUILD_DIR so CI pays once) installs it
# with `apt install ./ikefarm_*.deb` and runs ikefarmd as the unit's
# ExecStart does (--no-huge --no-pci), which must answer on its telemetry
# socket (ikefarmctl stats when the package has it).
# Usage: deb_test.sh BUILD_DIR. Root only (exit 77 otherwise); the chroot
# part skips loudly (exit 77 after the package checks passed) when
# debootstrap cannot reach the mirror.
set -u
build=$(cd "$1" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: the Debian package test needs root (build deps, chroot, mounts)"
	exit 77
fi
work=$(mktemp -d /tmp/ikefarm-deb.XXXXXX) || exit 1
chroot_dir=$work/chroot
pid=
mounts=()
cleanup()
{
	local i
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		umount -l "${mounts[$i]}" 2>/dev/null
	done
	rm -rf "$work" "/var/run/dpdk/ikefarmd-deb-$$"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Build dependencies (debian/control's, scripts/install-deps.sh has them all).
IKEFARM_NO_PEERS=1 "$top/scripts/install-deps.sh" || fail "install-deps.sh"

# A copy of the tree without build directories or git metadata.
mkdir "$work/src"
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$top" ls-files -z --cached --others --exclude-standard | (cd "$top" && cpio -0pdm --quiet "$work/src") ||
		fail "copy of the tree"
else
	tar -C "$top" --exclude='./build*' --exclude=./.git -cf - . | tar -C "$work/src" -xf - ||
		fail "copy of the tree"
fi
echo "building the package in $work/src (dpkg-buildpackage -us -uc -b)"
(cd "$work/src" && DEB_BUILD_OPTIONS="parallel=2 nocheck" nice dpkg-buildpackage -us -uc -b) \
	>"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; fail "dpkg-buildpackage"; }
debs=("$work"/ikefarm_*_amd64.deb)
deb=${debs[0]}
[ -f "$deb" ] || fail "no ikefarm_*_amd64.deb built"
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"

lintian --fail-on error --no-tag-display-limit "$deb" >"$work/lintian.log" 2>&1
lrc=$?
grep -E '^[WI]: ' "$work/lintian.log" | sed 's/^/lintian: /'
[ "$lrc" -eq 0 ] || { grep '^E: ' "$work/lintian.log"; fail "lintian errors"; }
echo "lintian: no errors ($(grep -c '^W: ' "$work/lintian.log") warnings)"

dpkg -c "$deb" | awk '{ print $6 }' | sed 's#^\./#/#' >"$work/contents"
want=(/usr/sbin/ikefarmd /usr/bin/storm /etc/ikefarm/ikefarm.conf /etc/default/ikefarmd
	/usr/share/man/man8/ikefarmd.8.gz /usr/share/man/man5/ikefarm.conf.5.gz
	/usr/share/man/man1/storm.1.gz /usr/share/doc/ikefarm/copyright)
[ -d "$top/app/ikefarmctl" ] && want+=(/usr/sbin/ikefarmctl /usr/share/man/man8/ikefarmctl.8.gz)
for f in "${want[@]}"; do
	grep -qx "$f" "$work/contents" || fail "dpkg -c: $f missing"
done
grep -Eqx '(/usr)?/lib/systemd/system/ikefarmd.service' "$work/contents" ||
	fail "dpkg -c: no ikefarmd.service"
grep -q '^/usr/share/doc/ikefarm/operating.md' "$work/contents" || fail "dpkg -c: no docs"
dpkg-deb -e "$deb" "$work/control"
grep -qx /etc/ikefarm/ikefarm.conf "$work/control/conffiles" || fail "config is not a conffile"
grep -q 'deb-systemd-helper.*enable' "$work/control/postinst" ||
	fail "postinst does not enable the unit (dh_installsystemd)"
echo "dpkg -c: ${#want[@]} expected files, the unit, docs; conffile and unit enabling in place"

# A clean Debian 12 from the mirror this machine's apt uses.
mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null |
	grep -v security | head -1)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' \
	/etc/apt/sources.list 2>/dev/null)
mirror=${mirror:-http://deb.debian.org/debian}
tarball=$build/debootstrap-bookworm-minbase.tgz
if [ ! -s "$tarball" ]; then
	echo "debootstrap: making $tarball from $mirror (once per build directory)"
	if ! nice debootstrap --variant=minbase --make-tarball="$tarball.tmp" bookworm \
		"$work/dl" "$mirror" >"$work/debootstrap.log" 2>&1; then
		tail -n 5 "$work/debootstrap.log"
		rm -f "$tarball.tmp"
		echo "SKIP (LOUD): debootstrap cannot reach $mirror: the package was built and"
		echo "SKIP (LOUD): checked, but NOT installed into a clean Debian 12 chroot"
		exit 77
	fi
	mv "$tarball.tmp" "$tarball"
fi
nice debootstrap --variant=minbase --unpack-tarball="$tarball" bookworm "$chroot_dir" \
	"$mirror" >"$work/debootstrap.log" 2>&1 || { tail "$work/debootstrap.log"; fail "debootstrap"; }
for m in proc dev sys run; do
	mount --bind "/$m" "$chroot_dir/$m" || fail "bind mount /$m"
	mounts+=("$chroot_dir/$m")
done
cp /etc/resolv.conf "$chroot_dir/etc/resolv.conf" 2>/dev/null
# No service starts inside the chroot during installation (there is no init).
printf '#!/bin/sh\nexit 101\n' >"$chroot_dir/usr/sbin/policy-rc.d"
chmod 755 "$chroot_dir/usr/sbin/policy-rc.d"
cp "$deb" "$chroot_dir/tmp/"
chroot "$chroot_dir" sh -c "apt-get update -q && DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -q --no-install-recommends ./tmp/$(basename "$deb")" \
	>"$work/apt.log" 2>&1 || { tail -n 20 "$work/apt.log"; fail "apt install in the chroot"; }
echo "chroot: $(basename "$deb") installed with its dependencies"
[ -L "$chroot_dir/etc/systemd/system/multi-user.target.wants/ikefarmd.service" ] ||
	fail "chroot: the unit is not enabled"

# ExecStart's command line, on a free port and a prefix of our own.
prefix=ikefarmd-deb-$$
chroot "$chroot_dir" /usr/sbin/ikefarmd --no-huge --no-pci -m 512 -l 0 --file-prefix="$prefix" \
	-- -f /etc/ikefarm/ikefarm.conf --listen 127.0.0.1 --port 5853 --natt-port 0 \
	>"$work/daemon.log" 2>&1 &
pid=$!
sock=/run/dpdk/$prefix/dpdk_telemetry.v2
ok=
for _ in $(seq 150); do
	kill -0 "$pid" 2>/dev/null || { tail "$work/daemon.log"; fail "ikefarmd exited in the chroot"; }
	if [ -x "$chroot_dir/usr/sbin/ikefarmctl" ]; then
		chroot "$chroot_dir" /usr/sbin/ikefarmctl --file-prefix "$prefix" stats 2>/dev/null |
			grep -q '^shards  *1$' && ok="ikefarmctl stats"
	else
		python3 "$top/tests/interop/telemetry.py" get "$sock" /ikefarm/stats 2>/dev/null |
			grep -q '^shards 1$' && ok=telemetry
	fi
	[ -n "$ok" ] && break
	sleep 0.1
done
[ -n "$ok" ] || { tail "$work/daemon.log"; fail "the chroot's ikefarmd does not answer"; }
kill "$pid"
wait "$pid"
rc=$?
pid=
[ "$rc" -eq 0 ] || fail "ikefarmd exited $rc on SIGTERM"
echo "PASS: package built, lintian clean of errors, installed in a clean Debian 12 chroot," \
	"ikefarmd started there and answered ($ok)"
