# Finds a PostgreSQL for the tests, or starts a throwaway cluster. Sourced by scripts/test.
# Exports LEDGER_TEST_PG_URL. Under CI=true a PostgreSQL that cannot be had is a failure.

pg_answers() {  # $1 = conninfo URL
  "$ROOT/.venv/bin/python" - "$1" <<'PY' >/dev/null 2>&1
import sys, psycopg
from ledger.infrastructure.database import Database
db = Database.from_url(sys.argv[1])
psycopg.connect(host=db.host, port=db.port, user=db.user, dbname=db.dbname,
                password=db.password or None, connect_timeout=3).close()
PY
}

pg_bin_dir() {
  local found
  found="$(command -v initdb 2>/dev/null || true)"
  if [ -n "$found" ]; then dirname "$(readlink -f "$found")"; return; fi
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [ -n "$found" ] && echo "$found"
}

start_throwaway_postgres() {
  local bin port dir owner
  bin="$(pg_bin_dir)"
  if [ -z "$bin" ]; then
    echo "no PostgreSQL binaries here: installing Debian's postgresql" >&2
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    else
      sudo apt-get update -qq >/dev/null && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    bin="$(pg_bin_dir)"
  fi
  port="${LEDGER_TEST_PG_PORT:-54329}"
  dir="$(mktemp -d /tmp/ledger-pg.XXXXXX)"
  owner="$(id -un)"
  if [ "$(id -u)" = 0 ]; then
    # initdb refuses to run as root: the cluster belongs to an unprivileged user.
    owner=postgres
    id -u "$owner" >/dev/null 2>&1 || useradd --system --no-create-home "$owner"
    chown "$owner" "$dir"
  fi
  run_as() { if [ "$(id -un)" = "$owner" ]; then "$@"; else runuser -u "$owner" -- "$@"; fi; }
  run_as "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
  run_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  THROWAWAY_PG_STOP="run_as $bin/pg_ctl -D $dir/data -m fast stop"
  export THROWAWAY_PG_DIR="$dir"
  trap 'eval "$THROWAWAY_PG_STOP" >/dev/null 2>&1 || true; rm -rf "$THROWAWAY_PG_DIR"' EXIT
  LEDGER_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
}

ensure_postgres() {
  local machine="postgresql://postgres@127.0.0.1:5432/test"
  if [ -n "${LEDGER_TEST_PG_URL:-}" ]; then
    :
  elif [ -z "${LEDGER_TEST_FORCE_THROWAWAY:-}" ] && pg_answers "$machine"; then
    LEDGER_TEST_PG_URL="$machine"
  else
    echo "no PostgreSQL answers at 127.0.0.1:5432: starting a throwaway cluster" >&2
    start_throwaway_postgres
  fi
  if ! pg_answers "$LEDGER_TEST_PG_URL"; then
    echo "PostgreSQL at $LEDGER_TEST_PG_URL cannot be reached" >&2
    return 1
  fi
  export LEDGER_TEST_PG_URL
  echo "PostgreSQL for the tests: $LEDGER_TEST_PG_URL" >&2
}
