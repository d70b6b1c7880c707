#!/usr/bin/env bash
# Stops the services that services-up.sh started (listed in .local/started), by their own
# tools or PID files; services that were already running before are left alone.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"

stop_pidfile() { # NAME PIDFILE
  [ -f "$2" ] || return 0
  local pid; pid=$(cat "$2")
  kill "$pid" 2>/dev/null && echo " stopped $1 (pid $pid)"
}

was_started ovs && { PATH=$PATH:/usr/share/openvswitch/scripts ovs-ctl stop >/dev/null && echo " stopped ovs"; }
was_started libvirtd && stop_pidfile libvirtd /var/run/libvirtd.pid
was_started virtlogd && stop_pidfile virtlogd /var/run/virtlogd.pid
was_started redis && stop_pidfile redis "$STATE/redis.pid"
was_started postgres && { pg_ctlcluster 15 main stop && echo " stopped postgres"; }
rm -f "$STATE/started"
