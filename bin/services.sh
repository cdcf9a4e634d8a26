# Sourced by ./run-tests: makes sure the services the tests need are up on 127.0.0.1.
# PostgreSQL (127.0.0.1:5432) runs the PostgreSQL half of the store contract tests.

keel_port_open() { # $1 = port
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && exec 3>&- 3<&-
}

keel_ensure_postgres() {
  if keel_port_open 5432; then return 0; fi
  echo "run-tests: PostgreSQL is not answering on 127.0.0.1:5432; starting it" >&2
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start || true
  fi
  for _ in $(seq 1 30); do
    keel_port_open 5432 && return 0
    sleep 1
  done
  echo "run-tests: PostgreSQL did not start; install it or set KEEL_TEST_PG_URL" >&2
  return 1
}

# Redis (127.0.0.1:6379) runs the cluster-wide budget and rate-limit tests.
keel_ensure_redis() {
  if keel_port_open 6379; then return 0; fi
  echo "run-tests: Redis is not answering on 127.0.0.1:6379; starting it" >&2
  if command -v redis-server >/dev/null 2>&1; then
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  fi
  for _ in $(seq 1 30); do
    keel_port_open 6379 && return 0
    sleep 1
  done
  echo "run-tests: Redis did not start; install redis-server" >&2
  return 1
}

# Debian's Chromium (/usr/bin/chromium) runs the web UI's end-to-end tests in e2e/ui.
keel_ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return 0; fi
  echo "run-tests: Chromium is not installed; installing Debian's chromium for the UI tests" >&2
  if command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >&2 || true
  fi
  [ -x /usr/bin/chromium ] && return 0
  echo "run-tests: could not install chromium; install it (apt-get install chromium)" >&2
  return 1
}
