#!/usr/bin/env bash
# Builds the VNF forwarder image: a bootable qcow2 disk (FAT, syslinux, vmlinuz + initramfs) made
# only from Debian packages. See docs/vnf-image.md.
#
#   deploy/vnf-image/build.sh [--out DIR] [--cache DIR] [--force]
#
# Runs as root on Debian 12. Downloads .debs with `apt-get download` (nothing of them is installed),
# extracts them with dpkg-deb -x into the cache, and installs with apt-get only the build tools that
# are missing (syslinux, mtools, dosfstools, qemu-utils, cpio, binutils, kmod).
# A second run with unchanged inputs only checks them and prints the existing image's sha256.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
OUT="$REPO/.local/vnf-image"
CACHE=""
FORCE=0
NAME=vnf-forwarder
# Every file in the image gets this mtime, so two builds of the same inputs are byte-identical.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1700000000}"
FAT_VOLID=1234abcd           # fixed FAT volume serial (the one mkfs.fat --invariant sets anyway)
FAT_LABEL=VNFBOOT
DISK_MIB=32                  # raw FAT size; the qcow2 only stores what is written

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --cache) CACHE="$2"; shift 2 ;;
    --force) FORCE=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "build.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
CACHE="${CACHE:-$REPO/.local/vnf-image/cache}"
mkdir -p "$OUT" "$CACHE"
OUT="$(cd "$OUT" && pwd)"; CACHE="$(cd "$CACHE" && pwd)"

say() { echo "build.sh: $*" >&2; }
die() { echo "build.sh: FAILED: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (apt-get download/install, mknod /dev/console in the initramfs)"

# Module names to load at boot; their dependencies are resolved below and loaded first.
MODULES=(virtio_pci virtio_net bridge ahci sr_mod isofs crc32c_generic nf_tables nft_meta_bridge button evdev)
# Userspace firewall: nft and the packages of the shared libraries it needs (checked with readelf).
FW_PKGS=(nftables libnftables1 libnftnl11 libmnl0 libjansson4 libxtables12 libgmp10 libedit2 libbsd0 libmd0 libtinfo6 libc6)

# ---------------------------------------------------------------------------------------------
# 1. Build tools: install only what is missing.
need=()
command -v dpkg-deb >/dev/null || die "dpkg-deb missing (not a Debian system?)"
command -v syslinux >/dev/null || need+=(syslinux)
[ -e /usr/lib/syslinux/modules/bios/ldlinux.c32 ] || need+=(syslinux-common)
command -v mcopy >/dev/null || need+=(mtools)
command -v mkfs.fat >/dev/null || need+=(dosfstools)
command -v qemu-img >/dev/null || need+=(qemu-utils)
command -v cpio >/dev/null || need+=(cpio)
command -v readelf >/dev/null || need+=(binutils)
command -v modinfo >/dev/null || need+=(kmod)
command -v gzip >/dev/null || need+=(gzip)
if [ ${#need[@]} -gt 0 ]; then
  say "installing missing build tools: ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1 || {
    apt-get update >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" >/dev/null \
      || die "apt-get install ${need[*]} failed"
  }
fi

# ---------------------------------------------------------------------------------------------
# 2. Which .debs: the kernel package linux-image-amd64 points at, busybox-static, nft and its libs.
kpkg() { apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n1; }
KPKG="$(kpkg)"
if [ -z "$KPKG" ]; then
  say "apt has no package lists; running apt-get update"
  apt-get update >/dev/null || die "apt-get update failed"
  KPKG="$(kpkg)"
fi
[ -n "$KPKG" ] || die "apt-cache depends linux-image-amd64 names no versioned kernel package"
KVER="${KPKG#linux-image-}"
PKGS=("$KPKG" busybox-static "${FW_PKGS[@]}")

DEBS="$CACHE/debs"; mkdir -p "$DEBS"
# `apt-get --print-uris download` lists file name, size and SHA256 without downloading; it leaves out
# files already in the current directory, so it runs in an empty one.
PROBE="$CACHE/probe"; rm -rf "$PROBE"; mkdir -p "$PROBE"
uris() { (cd "$PROBE" && apt-get -o APT::Sandbox::User=root --print-uris download "${PKGS[@]}" 2>/dev/null); }
LIST="$(uris)" || { say "apt-get download has no lists; running apt-get update"; apt-get update >/dev/null || die "apt-get update failed"; LIST="$(uris)" || die "apt-get --print-uris download ${PKGS[*]} failed"; }
rmdir "$PROBE"
# Lines: 'URI' FILE SIZE SHA256:HEX
MANIFEST="$(echo "$LIST" | awk '{print $2, $4}' | LC_ALL=C sort)"
[ "$(echo "$MANIFEST" | wc -l)" = "${#PKGS[@]}" ] || die "apt-get named $(echo "$MANIFEST" | wc -l) files for ${#PKGS[@]} packages:
$LIST"

# ---------------------------------------------------------------------------------------------
# 3. Up to date? The inputs are the .debs (by name and hash), this script, the guest's init,
#    the epoch and the versions of the tools that write the image.
tools_version="$(syslinux --version 2>&1 | head -n1; mkfs.fat --help 2>&1 | head -n1; qemu-img --version | head -n1; cpio --version | head -n1; gzip --version | head -n1)"
INPUTS="$( { echo "epoch $SOURCE_DATE_EPOCH"; echo "$MANIFEST"; sha256sum "$HERE/build.sh" "$HERE/init.sh" | awk '{print $1}'; echo "$tools_version"; } | sha256sum | awk '{print $1}')"
IMG="$OUT/$NAME.qcow2"; STAMP="$OUT/$NAME.inputs"
if [ "$FORCE" = 0 ] && [ -f "$IMG" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$INPUTS" ]; then
  say "up to date (inputs $INPUTS)"
  sha256sum "$IMG"
  exit 0
fi

# ---------------------------------------------------------------------------------------------
# 4. Download what the cache lacks, check hashes, extract each .deb once.
missing=()
while read -r file sum; do
  if [ -f "$DEBS/$file" ] && [ "SHA256:$(sha256sum "$DEBS/$file" | awk '{print $1}')" = "$sum" ]; then continue; fi
  rm -f "$DEBS/$file"; missing+=("$file")
done <<<"$MANIFEST"
if [ ${#missing[@]} -gt 0 ]; then
  say "downloading ${#missing[@]} package(s) into $DEBS"
  (cd "$DEBS" && apt-get -q -o APT::Sandbox::User=root download "${PKGS[@]}" >/dev/null) || die "apt-get download ${PKGS[*]} failed"
  while read -r file sum; do
    [ "SHA256:$(sha256sum "$DEBS/$file" | awk '{print $1}')" = "$sum" ] || die "$file: sha256 does not match apt's $sum"
  done <<<"$MANIFEST"
fi
# Drop older versions of these packages from the cache.
keep="$(echo "$MANIFEST" | awk '{print $1}')"
for f in "$DEBS"/*.deb; do echo "$keep" | grep -qxF "$(basename "$f")" || { say "removing stale $(basename "$f")"; rm -f "$f"; }; done

X="$CACHE/extracted"; mkdir -p "$X"
while read -r file sum; do
  d="$X/${file%.deb}"
  [ -f "$d.done" ] && continue
  rm -rf "$d"; mkdir -p "$d"
  dpkg-deb -x "$DEBS/$file" "$d" || die "dpkg-deb -x $file failed"
  touch "$d.done"
done <<<"$MANIFEST"
for d in "$X"/*/; do d="${d%/}"; echo "$keep" | grep -qxF "$(basename "$d").deb" || rm -rf "$d" "$d.done"; done
tree_of() { local f; f="$(echo "$MANIFEST" | awk -v p="$1" '$1 ~ "^"p"_" {print $1}')"; [ -n "$f" ] || die "no .deb for $1"; echo "$X/${f%.deb}"; }

KTREE="$(tree_of "$KPKG")"
VMLINUZ="$KTREE/boot/vmlinuz-$KVER"
MODDIR="$KTREE/lib/modules/$KVER"
[ -f "$VMLINUZ" ] || die "$VMLINUZ missing in $KPKG"
BUSYBOX="$(tree_of busybox-static)/bin/busybox"
[ -x "$BUSYBOX" ] || die "busybox missing in busybox-static"

# ---------------------------------------------------------------------------------------------
# 5. Module load order: depth-first over `modinfo -F depends`, dependencies first.
declare -A MODPATH=()
while IFS= read -r -d '' ko; do b="${ko##*/}"; b="${b%%.ko*}"; MODPATH["${b//-/_}"]="$ko"; done \
  < <(find "$MODDIR/kernel" -name '*.ko*' -print0)
config="$KTREE/boot/config-$KVER"
ORDER=(); declare -A SEEN=()
visit() {
  local m="${1//-/_}" d
  [ -n "${SEEN[$m]:-}" ] && return 0
  SEEN[$m]=1
  if [ -z "${MODPATH[$m]:-}" ]; then
    # Not a module: built into the kernel (or absent; /init reports what fails at boot).
    say "module $m: not a module file in $KPKG (built in?)"; return 0
  fi
  for d in $(modinfo -F depends "${MODPATH[$m]}" | tr ',' ' '); do visit "$d"; done
  ORDER+=("$m")
}
for m in "${MODULES[@]}"; do visit "$m"; done
say "module load order: ${ORDER[*]}"

# ---------------------------------------------------------------------------------------------
# 6. The initramfs tree: busybox and its applet links, nft with its libraries, modules, /init.
WORK="$CACHE/work"; rm -rf "$WORK"; mkdir -p "$WORK"
R="$WORK/root"
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,run,tmp,mnt/seed,etc,lib/modules,lib/x86_64-linux-gnu,lib64,var/run}
cp "$BUSYBOX" "$R/bin/busybox"
for a in $("$R/bin/busybox" --list-full); do
  [ -e "$R/$a" ] || [ -L "$R/$a" ] || ln -s /bin/busybox "$R/$a"
done
# nft and every shared library it needs, found by readelf in the extracted packages.
NFT="$(tree_of nftables)/usr/sbin/nft"
[ -x "$NFT" ] || die "nft missing in nftables"
cp "$NFT" "$R/usr/sbin/nft"
LIBDIRS=(); for p in "${FW_PKGS[@]}"; do t="$(tree_of "$p")"; for l in lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu; do [ -d "$t/$l" ] && LIBDIRS+=("$t/$l"); done; done
declare -A HAVE=()
add_libs() {
  local lib dir found
  for lib in $(readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    [ -n "${HAVE[$lib]:-}" ] && continue
    case "$lib" in ld-linux-x86-64.so.2) continue ;; esac   # the interpreter: /lib64, below
    found=""
    for dir in "${LIBDIRS[@]}"; do [ -e "$dir/$lib" ] && { found="$dir/$lib"; break; }; done
    [ -n "$found" ] || die "$1 needs $lib, found in none of: ${FW_PKGS[*]}"
    HAVE[$lib]=1
    cp -L "$found" "$R/lib/x86_64-linux-gnu/$lib"
    add_libs "$found"
  done
}
add_libs "$NFT"
cp -L "$(tree_of libc6)/lib64/ld-linux-x86-64.so.2" "$R/lib64/ld-linux-x86-64.so.2" 2>/dev/null \
  || cp -L "$(tree_of libc6)/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" "$R/lib64/ld-linux-x86-64.so.2"
i=0
: >"$R/lib/modules/load-order"
for m in "${ORDER[@]}"; do
  src="${MODPATH[$m]}"
  case "$src" in
    *.ko) cp "$src" "$R/lib/modules/$m.ko" ;;
    *.ko.xz) xz -dc "$src" >"$R/lib/modules/$m.ko" ;;
    *.ko.zst) zstd -qdc "$src" >"$R/lib/modules/$m.ko" ;;
    *.ko.gz) gzip -dc "$src" >"$R/lib/modules/$m.ko" ;;
    *) die "unknown module file $src" ;;
  esac
  echo "$m" >>"$R/lib/modules/load-order"; i=$((i+1))
done
echo "$KVER" >"$R/etc/kernel-release"
cp "$HERE/init.sh" "$R/init"; chmod 0755 "$R/init"
cat >"$R/etc/inittab" <<'EOF'
# busybox init, PID 1 after /init configured the forwarder
::sysinit:/bin/true
ttyS0::respawn:-/bin/sh
::ctrlaltdel:/sbin/reboot
::shutdown:/bin/echo "vnf-forwarder: shutting down"
EOF
# ACPI power button (virsh shutdown) -> poweroff: busybox acpid runs /etc/acpi/PWRF/00000080.
mkdir -p "$R/etc/acpi/PWRF"
printf '#!/bin/sh\necho "vnf-forwarder: ACPI power button, powering off" >/dev/console\nexec /sbin/poweroff\n' \
  >"$R/etc/acpi/PWRF/00000080"
chmod 0755 "$R/etc/acpi/PWRF/00000080"
printf 'root:x:0:0:root:/:/bin/sh\n' >"$R/etc/passwd"
printf 'root:x:0:\n' >"$R/etc/group"
mknod -m 600 "$R/dev/console" c 5 1
mknod -m 666 "$R/dev/null" c 1 3

find "$R" -mindepth 1 -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
INITRD="$WORK/initrd.gz"
(cd "$R" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 --reproducible | gzip -n -9 >"$INITRD")

# ---------------------------------------------------------------------------------------------
# 7. The disk: FAT without partition table, syslinux boot sector, kernel, initramfs.
B="$WORK/boot"; mkdir -p "$B"
cp "$VMLINUZ" "$B/vmlinuz"; cp "$INITRD" "$B/initrd.gz"
cat >"$B/syslinux.cfg" <<'EOF'
DEFAULT vnf
PROMPT 0
TIMEOUT 0
LABEL vnf
  LINUX /vmlinuz
  INITRD /initrd.gz
  APPEND console=ttyS0 quiet loglevel=3 panic=10
EOF
touch -d "@$SOURCE_DATE_EPOCH" "$B"/*
RAW="$WORK/disk.raw"
rm -f "$RAW"; truncate -s "${DISK_MIB}M" "$RAW"
mkfs.fat -F 16 -n "$FAT_LABEL" -i "$FAT_VOLID" --invariant "$RAW" >/dev/null 2>&1 \
  || mkfs.fat -F 16 -n "$FAT_LABEL" -i "$FAT_VOLID" "$RAW" >/dev/null || die "mkfs.fat failed"
# mtools stamps new directory entries with the current time unless SOURCE_DATE_EPOCH is set;
# -m keeps the source files' (fixed) mtimes.
export MTOOLS_SKIP_CHECK=1
syslinux --install "$RAW" || die "syslinux --install failed"
mcopy -m -i "$RAW" "$B/vmlinuz" "$B/initrd.gz" "$B/syslinux.cfg" ::/ || die "mcopy failed"
TMPQ="$WORK/$NAME.qcow2"
qemu-img convert -m 1 -f raw -O qcow2 "$RAW" "$TMPQ" || die "qemu-img convert failed"
mv -f "$TMPQ" "$IMG"
echo "$INPUTS" >"$STAMP"
say "kernel $KPKG ($(du -k "$VMLINUZ" | awk '{print $1}') KiB vmlinuz), initramfs $(du -k "$INITRD" | awk '{print $1}') KiB, modules: ${#ORDER[@]}"
say "image $IMG ($(du -k "$IMG" | awk '{print $1}') KiB on disk, virtual ${DISK_MIB} MiB)"
rm -rf "$WORK"
sha256sum "$IMG"
