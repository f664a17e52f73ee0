#!/usr/bin/env bash
# Makes sure redis-server is installed before the Redis tests run (Maven calls this in the
# process-test-resources phase). The tests start their own redis-server on a free port; they
# only need the binary. As root on Debian/Ubuntu (CI, containers) it installs Debian's package;
# otherwise it only says how, and the Redis tests then fail with the same advice.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "redis-server not found: installing Debian's redis-server package for the Redis tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  # The package's service is not started (policy-rc.d); the tests start their own servers.
  command -v redis-server >/dev/null 2>&1 && exit 0
  echo "ERROR: apt-get install redis-server did not provide redis-server" >&2
  exit 1
fi
echo "WARNING: redis-server is not installed; the Redis tests will fail." >&2
echo "         Install it: sudo apt-get install -y redis-server (Debian/Ubuntu) or brew install redis (macOS)." >&2
exit 0
