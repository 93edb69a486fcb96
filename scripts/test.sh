#!/usr/bin/env bash
# The README's test command: installs everything the test suite needs on a fresh
# Debian machine (PostgreSQL server, Debian's chromium, poppler-utils, the package with its test
# extras), starts PostgreSQL and runs the whole suite. CI (.ci/run) runs this too.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/venv.sh  # apt_get (waits for the package manager's lock), ensure_venv

# System packages: a real PostgreSQL server and a real browser.
need=()
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)  # renders report PDFs to PNG in the tests
if [ ${#need[@]} -gt 0 ]; then
    apt_get update -qq
    apt_get install -y -qq "${need[@]}" >/dev/null
fi

# The package and its test dependencies in a project-local virtual environment.
ensure_venv "[test]"

# Start PostgreSQL and create the test role and database (idempotent).
cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')
if [ -z "$cluster" ]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)  # the installed server, whatever its version
    pg_createcluster "$version" main >/dev/null
    cluster="$version main"
fi
# shellcheck disable=SC2086
pg_ctlcluster $cluster start 2>/dev/null || true
port=$(pg_lsclusters --no-header | awk 'NR==1 {print $3}')
for _ in $(seq 1 30); do
    su postgres -c "psql -p $port -qtAc 'select 1'" >/dev/null 2>&1 && break
    sleep 1
done
su postgres -c "psql -p $port -qtAc \"select 1 from pg_roles where rolname='cityindex'\"" | grep -q 1 \
    || su postgres -c "psql -p $port -qc \"create role cityindex login password 'cityindex' createdb\""
su postgres -c "psql -p $port -qtAc \"select 1 from pg_database where datname='cityindex_test'\"" | grep -q 1 \
    || su postgres -c "psql -p $port -qc 'create database cityindex_test owner cityindex'"
export CITYINDEX_TEST_POSTGRES_URL="postgresql+psycopg://cityindex:cityindex@127.0.0.1:${port}/cityindex_test"
export CITYINDEX_TEST_CHROMIUM=/usr/bin/chromium

exec .venv/bin/python -m pytest "$@"
