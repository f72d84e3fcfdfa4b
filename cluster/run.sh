#!/usr/bin/env bash
# The local cluster: two Payara Micro servers with the demo upstream, on one PostgreSQL (embedded) and one Redis,
# behind haproxy on port ${1:-8480}. Needs redis-server and haproxy on the PATH (Debian: redis-server, haproxy).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in redis-server haproxy; do
    command -v "$tool" >/dev/null 2>&1 || { echo "cluster: $tool is not installed (apt-get install $tool)"; exit 1; }
done
exec mvn -B -q -DskipTests -Dwildfly.skip=true -Dwildfly.configure.skip=true pre-integration-test \
    exec:java@local-cluster -Dexec.args="${1:-8480}"
