#!/usr/bin/env bash
# A throw-away Ceph radosgw (a real S3 implementation that enforces presigned POST
# policies the way AWS does) for the upload tests and CI. One monitor, one
# in-memory OSD, auth off, everything under one directory, bound to 127.0.0.1.
#
#   scripts/radosgw.sh install        apt-get install the Debian packages (idempotent)
#   scripts/radosgw.sh start          start it (a running one on the port is reused); prints S3_* lines
#   scripts/radosgw.sh stop           stop the one started with the same RADOSGW_PORT
#
# RADOSGW_PORT (default 7480) is the S3 port; the monitor listens on the next one.
set -euo pipefail

PORT="${RADOSGW_PORT:-7480}"
MON_PORT=$((PORT + 1))
DIR="${RADOSGW_DIR:-${TMPDIR:-/tmp}/recipe-box-radosgw-$PORT}"
CONF="$DIR/ceph.conf"
# Fixed, public test credentials: this server only ever holds test data on 127.0.0.1.
ACCESS_KEY="recipe-box-test"
SECRET_KEY="recipe-box-test-secret-not-for-production"

log() { printf '[radosgw] %s\n' "$*" >&2; }

installed() { command -v radosgw >/dev/null && command -v ceph-mon >/dev/null && command -v ceph-osd >/dev/null; }

install() {
  installed && return 0
  log "installing radosgw, ceph-mon and ceph-osd from Debian (about 40 s)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    radosgw ceph-mon ceph-osd >/dev/null
}

# Something accepts connections on the S3 port (bash's /dev/tcp: no curl needed).
answering() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

print_env() {
  echo "S3_ENDPOINT=http://127.0.0.1:$PORT"
  echo "S3_REGION=us-east-1"
  echo "S3_ACCESS_KEY_ID=$ACCESS_KEY"
  echo "S3_SECRET_ACCESS_KEY=$SECRET_KEY"
}

stop() {
  # radosgw first (client.rgw.pid), then the OSD and the monitor.
  for pidfile in "$DIR"/run/client.*.pid "$DIR"/run/osd.*.pid "$DIR"/run/mon.*.pid; do
    [ -f "$pidfile" ] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  sleep 1
  rm -rf "$DIR"
}

start() {
  if answering; then
    log "reusing the radosgw already answering on 127.0.0.1:$PORT"
    print_env
    return 0
  fi
  installed || { log "radosgw is not installed: run scripts/radosgw.sh install"; exit 1; }
  [ -d "$DIR" ] && stop
  mkdir -p "$DIR/run" "$DIR/log" "$DIR/mon" "$DIR/osd"
  fsid="$(cat /proc/sys/kernel/random/uuid)"
  cat >"$CONF" <<EOF
[global]
fsid = $fsid
mon host = [v1:127.0.0.1:$MON_PORT]
mon initial members = a
auth cluster required = none
auth service required = none
auth client required = none
auth supported = none
ms bind msgr2 = false
ms bind ipv6 = false
public addr = 127.0.0.1
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
mon allow pool size one = true
mon warn on pool no redundancy = false
osd objectstore = memstore
memstore device bytes = 536870912
# Without these, about one start in seven dies with "wrong fsid".
osd crush update on start = false
osd class update on start = false
run dir = $DIR/run
pid file = $DIR/run/\$name.pid
admin socket = $DIR/run/\$name.asok
log file = $DIR/log/\$name.log
mon data = $DIR/mon/\$name
osd data = $DIR/osd/\$name
keyring = $DIR/keyring
[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:$PORT
rgw enable usage log = false
EOF
  ceph-authtool --create-keyring "$DIR/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  monmaptool --create --fsid "$fsid" --addv a "[v1:127.0.0.1:$MON_PORT]" "$DIR/monmap" >/dev/null
  ceph-mon -c "$CONF" --mkfs -i a --monmap "$DIR/monmap" --keyring "$DIR/keyring"
  ceph-mon -c "$CONF" -i a
  # A monitor that has just started may refuse commands (EPERM) until it has settled its first quorum, which
  # takes longer on a busy machine: ask until it answers, for up to a minute, before the first real command.
  for _ in $(seq 1 60); do ceph -c "$CONF" --connect-timeout 20 -s >/dev/null 2>&1 && break; sleep 1; done
  ceph -c "$CONF" --connect-timeout 20 -s >/dev/null

  osd_uuid="$(cat /proc/sys/kernel/random/uuid)"
  osd_id="$(ceph -c "$CONF" osd new "$osd_uuid")"
  mkdir -p "$DIR/osd/osd.$osd_id"
  ceph-osd -c "$CONF" -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" >/dev/null 2>&1
  ceph-osd -c "$CONF" -i "$osd_id"
  ceph -c "$CONF" osd crush add-bucket localhost host >/dev/null
  ceph -c "$CONF" osd crush move localhost root=default >/dev/null
  ceph -c "$CONF" osd crush add "osd.$osd_id" 1.0 host=localhost >/dev/null

  radosgw -c "$CONF" -n client.rgw
  for _ in $(seq 1 60); do answering && break; sleep 0.5; done
  answering || { log "radosgw did not answer on 127.0.0.1:$PORT; see $DIR/log"; exit 1; }
  radosgw-admin -c "$CONF" user create --uid=recipe-box --display-name="Recipe Box tests" \
    --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >/dev/null
  log "radosgw ready on 127.0.0.1:$PORT (data in memory, config in $DIR)"
  print_env
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 install|start|stop" >&2
    exit 2
    ;;
esac
