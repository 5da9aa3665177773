#!/usr/bin/env bash
# Runs a command (the test suite) with REDRESS_TEST_POSTGRES pointing at a
# PostgreSQL server, so that every store and API test runs on PostgreSQL as
# well as SQLite:
#
#   bash scripts/test-postgres.sh go test -count=1 ./...
#
# When REDRESS_TEST_POSTGRES already names a server that answers, the
# command runs against it. Otherwise the script starts a throwaway cluster:
# Debian's postgresql and postgresql-contrib (installed with apt-get when
# missing), initdb as the postgres OS user (PostgreSQL refuses to run as
# root) into a temporary directory (in memory when /dev/shm has room) with a
# UTF-8 encoding and ctype, listening on 127.0.0.1 on a free port with its
# socket in that directory. The cluster is stopped and removed when the
# command ends, whatever its outcome.
#
# With CI=true a PostgreSQL that cannot be installed or started fails the
# run; elsewhere the command runs on SQLite only, and says so.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARG...]" >&2
  exit 2
fi

say() { echo "test-postgres: $*" >&2; }

# unavailable reports that PostgreSQL cannot be had: fatal in CI, otherwise
# the command runs without it.
unavailable() {
  say "$1"
  shift
  if [ "${CI:-}" = "true" ]; then
    say "CI=true: PostgreSQL is required, failing"
    exit 1
  fi
  say "the PostgreSQL tests are SKIPPED; only SQLite runs"
  unset REDRESS_TEST_POSTGRES
  local status=0
  "$@" || status=$?
  exit "$status"
}

# pg_bin prints the bin directory of the newest PostgreSQL server installed.
pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
    echo "$dir"
  fi
}

bin=$(pg_bin)

# An existing server named by the caller is used as it is.
if [ -n "${REDRESS_TEST_POSTGRES:-}" ]; then
  if [ -n "$bin" ] && "$bin/pg_isready" -q -t 5 -d "$REDRESS_TEST_POSTGRES"; then
    say "using the server of REDRESS_TEST_POSTGRES"
    exec "$@"
  fi
  say "REDRESS_TEST_POSTGRES does not answer (or pg_isready is missing): starting a throwaway cluster instead"
fi

if [ -z "$bin" ]; then
  say "installing postgresql and postgresql-contrib"
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    unavailable "cannot install PostgreSQL (need root and apt-get)" "$@"
  fi
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp)
  # The package's own cluster may fail to start where there is no init
  # system; what matters here is that the binaries are unpacked.
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql postgresql-contrib; } >"$log" 2>&1; then
    tail -20 "$log" >&2
    say "apt-get reported an error"
  fi
  rm -f "$log"
  bin=$(pg_bin)
  [ -n "$bin" ] || unavailable "no PostgreSQL server binaries under /usr/lib/postgresql after apt-get" "$@"
fi

# as_pg runs a command as the postgres OS user when we are root.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# The cluster lives in memory where /dev/shm is a tmpfs with 1 GiB free:
# every test creates and drops a database of some 400 files, and on a disk
# file system (ext4) that churn of files costs more CPU than the tests'
# queries do.
base=/tmp
if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] && [ -w /dev/shm ] &&
  [ "$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')" -ge 1048576 ] 2>/dev/null; then
  base=/dev/shm
fi
dir=$(mktemp -d "$base/redress-pg.XXXXXX")
chmod 0755 "$dir"
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || unavailable "there is no postgres OS user to run the server as" "$@"
  chown postgres: "$dir"
fi

stop() {
  as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

# initdb with a UTF-8 encoding and ctype (pg_trgm sees no Chinese characters
# otherwise), trust on loopback only: the cluster lives for one test run.
if ! as_pg "$bin/initdb" -D "$dir/data" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
  --auth=trust --no-sync >"$dir/initdb.log" 2>&1; then
  tail -20 "$dir/initdb.log" >&2
  unavailable "initdb failed" "$@"
fi

# A free port: nothing answers on it. Another process may take it between
# the check and the start, so try a few.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
started=""
for _ in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 40000))
  port_free "$port" || continue
  # Durability is irrelevant for a throwaway cluster: fsync off keeps the
  # hundreds of CREATE DATABASEs of a test run fast.
  if as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o \
    "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null 2>&1; then
    started=yes
    break
  fi
done
if [ -z "$started" ]; then
  tail -20 "$dir/server.log" >&2 || true
  unavailable "the throwaway cluster did not start" "$@"
fi

export REDRESS_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (throwaway cluster in $dir)"
status=0
"$@" || status=$?
exit "$status"
