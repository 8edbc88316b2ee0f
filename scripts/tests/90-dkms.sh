# DKMS: the module DKMS built for this kernel is installed by DKMS into the
# guest's kernel tree, and modprobe loads it from there.
#
# DKMS's build step runs on the host, before the boot: scripts/test runs
# `make dkms-build KVER=...`, which is `dkms add` and `dkms build -k KVER`
# with the host's dkms and the kernel's headers, in a private tree,
# build/dkms/KVER/ (gcc under TCG would take minutes). Here `dkms install`
# copies the module into /lib/modules/KVER/updates/dkms and runs depmod;
# the guest's / is the host's, read-only, so /lib/modules/KVER gets a tmpfs
# overlay and nothing reaches the host. Then modprobe, /proc/tcpwatch,
# rmmod, `dkms remove`.
# A kernel outside dkms.conf's BUILD_EXCLUSIVE_KERNEL must have been
# refused by DKMS (status 77): that is a skip, saying so.
# depmod over the whole module tree under TCG took 150 s on 6.12 in CI and
# over 300 s on 5.10 on a loaded host:
# tw-timeout: 900
. "$(dirname "$0")/lib.sh"

k=$(uname -r)
command -v dkms >/dev/null || skip "dkms not installed (scripts/setup)"
src=build/dkms/$k
[ -s "$src/build.status" ] ||
	fail "no $src/build.status: run 'make dkms-build KVER=$k' on the host first (scripts/test does)"
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
excl=$(sed -n 's/^BUILD_EXCLUSIVE_KERNEL="\(.*\)"$/\1/p' dkms.conf)
st=$(cat "$src/build.status")

if ! echo "$k" | grep -Eq "$excl"; then
	[ "$st" = 77 ] && grep -q BUILD_EXCLUSIVE "$src/build.log" ||
		{ cat "$src/build.log"; fail "dkms build on $k, outside BUILD_EXCLUSIVE_KERNEL '$excl', exited $st"; }
	skip "$k is not a tested series: DKMS refused to build it, as dkms.conf asks"
fi
[ "$st" = 0 ] || { cat "$src/build.log"; fail "dkms build -k $k exited $st on the host"; }

# dkms install records its state in the DKMS tree: work on a copy.
tree=$TW_TMP/dkms
cp -a "$src/tree" "$tree"
opts=(-m tcpwatch -v "$ver" --sourcetree "$PWD/$src/usr/src" --dkmstree "$tree")

mods=/lib/modules/$k
mkdir -p "$TW_TMP/up" "$TW_TMP/work"
mount -t overlay overlay -o "lowerdir=$mods,upperdir=$TW_TMP/up,workdir=$TW_TMP/work" "$mods"
trap 'rmmod tcpwatch 2>/dev/null || true; umount "$mods" || true' EXIT

dkms install "${opts[@]}" -k "$k"
dkms status "${opts[@]}" -k "$k" | tee "$TW_TMP/status"
grep -q ': installed' "$TW_TMP/status" || fail "dkms status does not say installed"

ko=$(modinfo -k "$k" -n tcpwatch)
echo "modprobe resolves tcpwatch to $ko"
case $ko in
"$mods/updates/dkms/tcpwatch.ko"*) ;;
*) fail "tcpwatch resolves to $ko, not DKMS's $mods/updates/dkms" ;;
esac
assert_eq "$(modinfo -F version "$ko")" "$ver" "version of the DKMS module"

modprobe tcpwatch
lsmod | grep -q '^tcpwatch ' || fail "tcpwatch not loaded after modprobe"
head -n 2 /proc/tcpwatch
grep -q "$ver" /proc/tcpwatch || fail "/proc/tcpwatch does not name version $ver"
rmmod tcpwatch

dkms remove "${opts[@]}" -k "$k"
if ko=$(modinfo -k "$k" -n tcpwatch 2>/dev/null); then
	fail "tcpwatch still resolves to $ko after dkms remove"
fi
echo "dkms remove took tcpwatch out of $k's tree"
