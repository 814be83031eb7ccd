#!/usr/bin/env bash
# Installs the Debian packages the test suite uses when they are missing: chromium (the dashboard's browser tests) and
# postgresql (the PostgreSQL interaction store's tests, which start a throwaway server of their own), redis-server (the
# cluster's membership in the cluster tests). Called by the tests themselves (BrowserFixture) and by .ci/run; safe to run twice at once (flock).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ ${#need[@]} -eq 0 ] && exit 0

run() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }
exec 9>/tmp/reckit-install-test-packages.lock
flock 9
# Another caller may have installed them while this one waited.
command -v chromium >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v redis-server >/dev/null 2>&1 && exit 0
echo "installing ${need[*]} from Debian (apt-get)..." >&2
export DEBIAN_FRONTEND=noninteractive
run apt-get install -y --no-install-recommends "${need[@]}" >/dev/null || { run apt-get update >/dev/null && run apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; }
