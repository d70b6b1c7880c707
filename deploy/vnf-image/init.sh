#!/bin/sh
# /init of the VNF forwarder image (busybox sh, PID 1). Built into the initramfs by build.sh.
# Reads the NoCloud seed (iso9660, label cidata), takes the `vnf:` block of its user-data and
# configures eth0/eth1 as a Linux bridge or an IPv4 router, with optional nftables drop rules for
# forwarded traffic. Contract: docs/vnf-image.md. Then hands PID 1 to busybox init.
export PATH=/sbin:/bin:/usr/sbin:/usr/bin

say() { echo "vnf-forwarder: $*"; }
ERRORS=0
err() { echo "vnf-forwarder: error $*"; ERRORS=$((ERRORS + 1)); }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /run
mount -t tmpfs tmpfs /run
echo 3 >/proc/sys/kernel/printk 2>/dev/null
hostname vnf-forwarder

say "booting, kernel $(uname -r), uptime $(cut -d" " -f1 /proc/uptime) s"

# --- modules, in the order build.sh resolved from modinfo's depends --------------------------
loaded=0
failed=""
while read -r m; do
  [ -n "$m" ] || continue
  if insmod "/lib/modules/$m.ko" 2>/dev/null; then loaded=$((loaded + 1)); else failed="$failed $m"; fi
done </lib/modules/load-order
say "modules: $loaded loaded${failed:+, failed:$failed}"
# ACPI power button (virsh shutdown) -> /etc/acpi/PWRF/00000080 -> poweroff
mkdir -p /var/log
acpid -c /etc/acpi -l /dev/null 2>/dev/null || say "acpid did not start: no ACPI power-off"

# --- NICs: eth0/eth1 are the first and second virtio NICs in PCI order -------------------------
nics_in_pci_order() {
  for n in /sys/class/net/*; do
    [ -e "$n/device" ] || continue
    echo "$(readlink -f "$n/device") ${n##*/}"
  done | sort | while read -r _ name; do echo "$name"; done
}
i=0
for n in $(nics_in_pci_order); do ip link set "$n" name "vnftmp$i" 2>/dev/null; i=$((i + 1)); done
i=0
for n in $(nics_in_pci_order); do ip link set "$n" name "eth$i" 2>/dev/null; i=$((i + 1)); done
NICS=""
for n in $(nics_in_pci_order); do NICS="$NICS $n=$(cat /sys/class/net/$n/address)"; done
say "NICs:${NICS:- none}"
ip link set lo up
# The VNF forwards IPv4 and bridges any frame, but speaks no IPv6 itself: without this its kernel
# sends router solicitations and MLD reports from every interface, traffic no user sent.
echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6
echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6

# --- the NoCloud seed ----------------------------------------------------------------------------
SEED=""
iso_label() { # the iso9660 volume id of block device $1 (primary volume descriptor, sector 16)
  [ "$(dd if="$1" bs=1 skip=32769 count=5 2>/dev/null)" = CD001 ] || return 1
  dd if="$1" bs=1 skip=32808 count=32 2>/dev/null | tr -d ' \000' | tr 'A-Z' 'a-z'
}
find_seed() {
  for b in /sys/class/block/*; do
    dev="/dev/${b##*/}"
    [ -b "$dev" ] || continue
    [ "$(iso_label "$dev")" = cidata ] || continue
    if mount -t iso9660 -o ro "$dev" /mnt/seed 2>/dev/null; then SEED="$dev"; return 0; fi
  done
  return 1
}
# AHCI scans its ports asynchronously: wait up to 3 s for a CD-ROM to show up.
t=0
while [ $t -lt 30 ]; do
  if ls /sys/class/block/ 2>/dev/null | grep -q '^sr'; then find_seed && break; fi
  usleep 100000; t=$((t + 1))
done
[ -n "$SEED" ] || find_seed

USERDATA=""
if [ -n "$SEED" ]; then
  if [ -f /mnt/seed/user-data ]; then
    USERDATA="$(cat /mnt/seed/user-data)"
    say "seed: $SEED (label cidata), user-data $(wc -c </mnt/seed/user-data) bytes"
  else
    say "seed: $SEED (label cidata) has no user-data"
  fi
  umount /mnt/seed 2>/dev/null
else
  say "seed: none found (no iso9660 device labelled cidata)"
fi

# --- the vnf: block ------------------------------------------------------------------------------
MODE=""; ADDRESS0=""; ADDRESS1=""; ROUTES=""; DROP=""; HAVE_BLOCK=0
strip() { # trailing " # comment", surrounding blanks and quotes
  v="$(echo "$1" | sed -e 's/[[:space:]]#.*$//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//')"
  case "$v" in \"*\") v="${v#\"}"; v="${v%\"}" ;; \'*\') v="${v#\'}"; v="${v%\'}" ;; esac
  echo "$v"
}
inblock=0
NL='
'
OLDIFS="$IFS"; IFS="$NL"
for line in $(echo "$USERDATA" | tr -d '\r'); do
  IFS="$OLDIFS"
  if [ $inblock = 0 ]; then
    case "$line" in vnf:|"vnf: "*|"vnf:	"*) inblock=1; HAVE_BLOCK=1 ;; esac
    IFS="$NL"; continue
  fi
  case "$line" in
    "  "*) ;;
    "#"*|"") IFS="$NL"; continue ;;
    *) inblock=0; IFS="$NL"; continue ;;
  esac
  body="$(strip "$line")"
  case "$body" in "#"*|"") IFS="$NL"; continue ;; esac
  key="${body%%:*}"
  if [ "$key" = "$body" ]; then err "malformed line in vnf block: '$body'"; IFS="$NL"; continue; fi
  val="$(strip "${body#*:}")"
  case "$key" in
    mode) MODE="$val" ;;
    address0) ADDRESS0="$val" ;;
    address1) ADDRESS1="$val" ;;
    route) ROUTES="$ROUTES$val$NL" ;;
    drop) DROP="$DROP $val" ;;
    *) err "unknown key in vnf block: '$key'" ;;
  esac
  IFS="$NL"
done
IFS="$OLDIFS"

if [ $HAVE_BLOCK = 0 ]; then
  say "no vnf: block in user-data: defaults (bridge mode, nothing dropped)"
fi
MODE="${MODE:-bridge}"

is_ipv4() {
  echo "$1" | grep -Eq '^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$'
}
is_cidr() {
  case "$1" in */*) ;; *) return 1 ;; esac
  is_ipv4 "${1%/*}" || return 1
  echo "${1#*/}" | grep -Eq '^([0-9]|[12][0-9]|3[0-2])$'
}

case "$MODE" in
  bridge|route) ;;
  *) err "unknown mode '$MODE' (expected bridge or route)" ;;
esac
if [ "$MODE" = route ]; then
  is_cidr "$ADDRESS0" || err "address0 '$ADDRESS0' is not an IPv4 address/prefix (route mode needs it)"
  is_cidr "$ADDRESS1" || err "address1 '$ADDRESS1' is not an IPv4 address/prefix (route mode needs it)"
else
  [ -z "$ADDRESS0$ADDRESS1" ] || say "bridge mode: address0/address1 ignored"
fi
ROUTE_ARGS=""
OLDIFS="$IFS"; IFS="$NL"
for r in $ROUTES; do
  IFS="$OLDIFS"
  set -- $r
  if [ $# = 3 ] && [ "$2" = via ] && { is_cidr "$1" || [ "$1" = default ]; } && is_ipv4 "$3"; then
    [ "$MODE" = route ] || say "bridge mode: route '$r' ignored"
  else
    err "route '$r' is not 'A.B.C.D/N via A.B.C.D'"
  fi
  IFS="$NL"
done
IFS="$OLDIFS"
RULES=""
for d in $DROP; do
  proto="${d%%/*}"; port="${d#*/}"
  case "$proto" in udp|tcp) ;; *) err "drop '$d': protocol must be udp or tcp"; continue ;; esac
  if [ "$proto/$port" != "$d" ] || ! echo "$port" | grep -Eq '^[0-9]{1,5}$' || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
    err "drop '$d': not proto/port with a port 1-65535"; continue
  fi
  RULES="$RULES $proto/$port"
done
for n in eth0 eth1; do
  [ -e /sys/class/net/$n ] || err "$n missing: the VNF needs two virtio NICs"
done

if [ $ERRORS -gt 0 ]; then
  say "error: $ERRORS configuration problem(s): not forwarding (NICs stay down)"
  say "not ready: configuration error"
  exec /bin/busybox init
fi

# --- configure -----------------------------------------------------------------------------------
if [ "$MODE" = bridge ]; then
  ip link add br0 type bridge forward_delay 0 stp_state 0 || err "cannot create bridge br0"
  for n in eth0 eth1; do
    ip addr flush dev $n
    ip link set $n master br0 && ip link set $n up || err "cannot enslave $n to br0"
  done
  ip link set br0 up
  echo 0 >/proc/sys/net/ipv4/ip_forward
  say "mode bridge: br0 = eth0 + eth1, forward_delay 0, stp off"
  FAMILY=bridge
else
  ip addr add "$ADDRESS0" dev eth0 && ip link set eth0 up || err "cannot address eth0 with $ADDRESS0"
  ip addr add "$ADDRESS1" dev eth1 && ip link set eth1 up || err "cannot address eth1 with $ADDRESS1"
  OLDIFS="$IFS"; IFS="$NL"
  for r in $ROUTES; do
    IFS="$OLDIFS"
    set -- $r
    ip route add "$1" via "$3" || err "cannot add route '$r'"
    say "route $1 via $3"
    IFS="$NL"
  done
  IFS="$OLDIFS"
  echo 1 >/proc/sys/net/ipv4/ip_forward
  say "mode route: eth0 $ADDRESS0, eth1 $ADDRESS1, ip_forward=1"
  FAMILY=ip
fi

if [ -n "$RULES" ]; then
  {
    echo "table $FAMILY vnf {"
    echo "  chain forward {"
    echo "    type filter hook forward priority 0; policy accept;"
    for r in $RULES; do echo "    ${r%/*} dport ${r#*/} counter drop"; done
    echo "  }"
    echo "}"
  } >/run/vnf.nft
  if out="$(nft -f /run/vnf.nft 2>&1)"; then
    nft list chain $FAMILY vnf forward 2>&1 | grep -E 'dport' | sed -e 's/^[[:space:]]*//' -e "s/^/vnf-forwarder: drop rule ($FAMILY forward): /"
  else
    err "nft could not install the drop rules: $out"
  fi
else
  say "drop rules: none"
fi

if [ $ERRORS -gt 0 ]; then
  say "error: $ERRORS problem(s) while configuring: not forwarding"
  ip link set eth0 down 2>/dev/null; ip link set eth1 down 2>/dev/null
  echo 0 >/proc/sys/net/ipv4/ip_forward
  say "not ready: configuration error"
  exec /bin/busybox init
fi

DROPS="$(echo $RULES | tr ' ' ',')"
if [ "$MODE" = bridge ]; then
  say "ready mode=bridge eth0=$(cat /sys/class/net/eth0/address) eth1=$(cat /sys/class/net/eth1/address) drop=${DROPS:-none} uptime=$(cut -d" " -f1 /proc/uptime)s"
else
  say "ready mode=route eth0=$ADDRESS0 eth1=$ADDRESS1 routes=$(printf '%s' "$ROUTES" | grep -c .) drop=${DROPS:-none} uptime=$(cut -d" " -f1 /proc/uptime)s"
fi
exec /bin/busybox init
