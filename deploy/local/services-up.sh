#!/usr/bin/env bash
# Installs (from Debian's packages) and starts the services the orchestrator needs on a bare
# Debian 12 machine without systemd: PostgreSQL, Redis, libvirtd (QEMU driver) and Open vSwitch
# with DPDK and a netdev bridge. Idempotent: what already runs is left alone. Follows
# shared/RECIPES.md. Services this script started are listed in .local/started, so that
# services-down.sh stops only those.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=deploy/local/lib.sh
source "$here/lib.sh"

# librte-mempool-ring23: DPDK's ring mempool driver, which OvS-DPDK makes its packet-buffer pools
# with. DPDK's packages only recommend it, so --no-install-recommends leaves it out; ovs-vswitchd
# then starts fine and fails only when a guest driver starts a vhost-user NIC: "Failed to create
# memory pool for netdev vhu…, with MTU 1500 on socket 0: Invalid argument".
PACKAGES=(postgresql redis-server libvirt-daemon-system libvirt-daemon-driver-qemu libvirt-clients
  libvirt-dev qemu-system-x86 qemu-utils openvswitch-switch openvswitch-switch-dpdk librte-mempool-ring23
  iproute2 curl g++ make python3 pkg-config genisoimage iputils-ping)

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  step "installing ${missing[*]}"
  apt-get update >"$LOGS/apt.log" 2>&1 || fail apt "apt-get update failed" "$LOGS/apt.log"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    -o Dpkg::Options::=--force-confold -o Dpkg::Options::=--force-confdef \
    "${missing[@]}" >>"$LOGS/apt.log" 2>&1 || fail apt "apt-get install failed" "$LOGS/apt.log"
}

start_postgres() {
  if pg_lsclusters -h 2>/dev/null | awk '$1=="15" && $2=="main" {print $4}' | grep -q online; then
    ok "postgres already running"
  else
    step "starting postgres"
    pg_ctlcluster 15 main start >"$LOGS/postgres-start.log" 2>&1 \
      || fail postgres "pg_ctlcluster 15 main start failed" "$LOGS/postgres-start.log /var/log/postgresql/postgresql-15-main.log"
    mark_started postgres
  fi
  wait_for postgres 30 "pg_isready -q -h 127.0.0.1 -p 5432" /var/log/postgresql/postgresql-15-main.log
  # The application's role may create databases: the tests make a fresh one per run.
  su postgres -c "psql -qtA -v ON_ERROR_STOP=1" >"$LOGS/postgres-role.log" 2>&1 <<SQL || fail postgres "creating role/database failed" "$LOGS/postgres-role.log"
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PGUSER_APP') THEN
    CREATE ROLE "$PGUSER_APP" LOGIN CREATEDB PASSWORD '$PGPASSWORD_APP';
  END IF;
END \$\$;
SELECT 'CREATE DATABASE "$PGDATABASE_APP" OWNER "$PGUSER_APP"'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PGDATABASE_APP') \gexec
SQL
  ok "postgres ready on 127.0.0.1:5432 (database $PGDATABASE_APP)"
}

start_redis() {
  if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    ok "redis already running"
    make_redis_durable 6379
    return 0
  fi
  step "starting redis"
  local i flags=()
  for ((i = 0; i < ${#REDIS_DURABLE[@]}; i += 2)); do flags+=("--${REDIS_DURABLE[i]}" "${REDIS_DURABLE[i + 1]}"); done
  redis-server --daemonize yes --port 6379 --bind 127.0.0.1 --dir "$STATE" \
    --pidfile "$STATE/redis.pid" --logfile "$LOGS/redis.log" --save '' "${flags[@]}" \
    || fail redis "redis-server did not start" "$LOGS/redis.log"
  mark_started redis
  wait_for redis 20 "redis-cli -h 127.0.0.1 -p 6379 ping" "$LOGS/redis.log"
  ok "redis ready on 127.0.0.1:6379 (append-only, noeviction)"
}

start_libvirt() {
  if virsh -c qemu:///system version >/dev/null 2>&1; then
    ok "libvirtd already running"
    return 0
  fi
  step "starting libvirtd (QEMU driver)"
  # No KVM and no libvirt-qemu privilege separation on these machines: QEMU runs as root.
  if ! grep -q '^security_driver = "none"' /etc/libvirt/qemu.conf; then
    printf 'user = "root"\ngroup = "root"\nsecurity_driver = "none"\n' >>/etc/libvirt/qemu.conf
  fi
  mkdir -p /var/log/libvirt /var/run/libvirt
  pgrep -x virtlogd >/dev/null || { virtlogd -d && mark_started virtlogd; } \
    || fail libvirt "virtlogd did not start" /var/log/libvirt/virtlogd.log
  libvirtd -d || fail libvirt "libvirtd did not start" /var/log/libvirt/libvirtd.log
  mark_started libvirtd
  wait_for libvirt 30 "virsh -c qemu:///system version" /var/log/libvirt/libvirtd.log
  ok "libvirtd ready (qemu:///system)"
}

setup_hugepages() {
  local want=${HUGEPAGES_2M:-300}
  if [ "$(cat /proc/sys/vm/nr_hugepages)" -lt "$want" ]; then
    echo "$want" >/proc/sys/vm/nr_hugepages || fail ovs "cannot reserve $want hugepages" /proc/meminfo
  fi
  mkdir -p /dev/hugepages
  mountpoint -q /dev/hugepages || mount -t hugetlbfs none /dev/hugepages \
    || fail ovs "cannot mount hugetlbfs on /dev/hugepages" /proc/mounts
}

# DPDK loads its drivers when ovs-vswitchd starts: one started before librte-mempool-ring23 was
# installed (by an earlier run of this script, or by hand) runs without the ring mempool driver
# and cannot make packet-buffer pools for vhost-user ports. Only such a one is restarted.
restart_vswitchd_without_mempool_driver() {
  local pid
  pid=$(cat /var/run/openvswitch/ovs-vswitchd.pid 2>/dev/null) || return 0
  grep -q librte_mempool_ring "/proc/$pid/maps" 2>/dev/null && return 0
  step "restarting ovs-vswitchd: it started before librte-mempool-ring23 was installed, so DPDK has no ring mempool driver (vhost-user NICs would fail with 'Failed to create memory pool')"
  ovs-ctl --no-ovsdb-server restart >>"$LOGS/ovs-start.log" 2>&1 \
    || fail ovs "ovs-vswitchd did not restart" "$LOGS/ovs-start.log /var/log/openvswitch/ovs-vswitchd.log"
  wait_for ovs 60 "ovs-vsctl --timeout=5 get Open_vSwitch . dpdk_initialized | grep -q true" \
    /var/log/openvswitch/ovs-vswitchd.log
}

start_ovs() {
  export PATH=$PATH:/usr/share/openvswitch/scripts
  if ovs-vsctl --timeout=5 get Open_vSwitch . dpdk_initialized 2>/dev/null | grep -q true; then
    ok "ovs-vswitchd with DPDK already running"
    restart_vswitchd_without_mempool_driver
  else
    step "starting Open vSwitch with DPDK"
    setup_hugepages
    update-alternatives --set ovs-vswitchd /usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk >"$LOGS/ovs-start.log" 2>&1 \
      || fail ovs "cannot select the DPDK build of ovs-vswitchd" "$LOGS/ovs-start.log"
    ovs-ctl --no-ovs-vswitchd start >>"$LOGS/ovs-start.log" 2>&1 \
      || fail ovs "ovsdb-server did not start" "$LOGS/ovs-start.log /var/log/openvswitch/ovsdb-server.log"
    ovs-vsctl --no-wait set Open_vSwitch . other_config:dpdk-init=true \
      other_config:dpdk-extra=--no-pci other_config:dpdk-socket-mem=256 \
      "other_config:pmd-cpu-mask=${PMD_CPU_MASK:-0x2}"
    ovs-ctl --no-ovsdb-server start >>"$LOGS/ovs-start.log" 2>&1 \
      || fail ovs "ovs-vswitchd did not start" "$LOGS/ovs-start.log /var/log/openvswitch/ovs-vswitchd.log"
    mark_started ovs
    wait_for ovs 60 "ovs-vsctl --timeout=5 get Open_vSwitch . dpdk_initialized | grep -q true" \
      /var/log/openvswitch/ovs-vswitchd.log
  fi
  ovs-appctl -t ovsdb-server ovsdb-server/add-remote "ptcp:${OVSDB_TCP_PORT}:127.0.0.1" >/dev/null 2>&1 || true
  ovs-vsctl --timeout=10 --may-exist add-br "$OVS_BRIDGE" -- set bridge "$OVS_BRIDGE" datapath_type=netdev \
    >"$LOGS/ovs-bridge.log" 2>&1 || fail ovs "cannot create netdev bridge $OVS_BRIDGE" "$LOGS/ovs-bridge.log /var/log/openvswitch/ovs-vswitchd.log"
  ok "ovs ready: DPDK initialised, bridge $OVS_BRIDGE (netdev), OVSDB on unix:/var/run/openvswitch/db.sock and tcp:127.0.0.1:$OVSDB_TCP_PORT"
}

[ "$(id -u)" -eq 0 ] || { echo "services-up: must run as root (apt-get, libvirtd, hugepages)" >&2; exit 1; }
install_packages
start_postgres
start_redis
start_libvirt
start_ovs
