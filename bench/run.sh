#!/usr/bin/env bash
# Runs the relay benchmark: builds the WAR, fetches the server, starts nginx + nchan beside it as the peer, then
# measures both (about 10 minutes). Results: bench/results/payara.md (or wildfly.md) and latency-payara.png (or
# -wildfly); BENCHMARKS.md quotes them. Options are passed to the benchmark's JVM, e.g.:
#   bench/run.sh -Dbench.server=wildfly                              (WildFly instead of Payara Micro)
#   bench/run.sh -Dbench.phases=latency,throughput -Dbench.jfr=true   (a profiling run: results/server.jfr)
#   BENCH_NCHAN=off bench/run.sh                                     (the relay alone)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

nchan_module=/usr/lib/nginx/modules/ngx_nchan_module.so
if [ "${BENCH_NCHAN:-on}" != off ] && { ! command -v nginx >/dev/null 2>&1 || [ ! -f "$nchan_module" ]; }; then
    echo "bench: installing nginx and its nchan module (Debian: nginx, libnginx-mod-nchan)"
    apt-get update -q
    # Installed, not started as a system service: the benchmark starts its own on a loopback port.
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx libnginx-mod-nchan
    rm -f /usr/sbin/policy-rc.d
fi

# Thousands of idle subscribers: as many descriptors as this machine allows each process, and every ephemeral
# port for the loopback connections (both need root; the benchmark says what it got).
ulimit -Sn "$(ulimit -Hn)" || true
# The range is put back on exit: left wide, it hands the test servers' fixed ports (9180, 11090) to clients.
cleanup=()
on_exit() { for step in "${cleanup[@]}"; do eval "$step"; done; }
trap on_exit EXIT
if [ -w /proc/sys/net/ipv4/ip_local_port_range ]; then
    cleanup+=("echo '$(cat /proc/sys/net/ipv4/ip_local_port_range)' >/proc/sys/net/ipv4/ip_local_port_range || true")
    echo "1024 65535" >/proc/sys/net/ipv4/ip_local_port_range || true
fi
echo "bench: $(ulimit -n) open files per process, ephemeral ports $(tr '\t' '-' </proc/sys/net/ipv4/ip_local_port_range)"

mvn -B -q -DskipTests -Dwildfly.configure.skip=true pre-integration-test
cd bench
mvn -B -q compile
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt

nchan_options=()
if [ "${BENCH_NCHAN:-on}" != off ]; then
    prefix=$(mktemp -d /tmp/bench-nchan.XXXXXX)
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    sed -e "s#@MODULE@#$nchan_module#" -e "s#@PORT@#$port#" -e "s#@PREFIX@#$prefix#g" nchan/nginx.conf >"$prefix/nginx.conf"
    started=$(date +%s%N)
    nginx -p "$prefix" -c "$prefix/nginx.conf" >"$prefix/nginx.out" 2>&1 &
    nginx_pid=$!
    cleanup+=('kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true')
    until curl -s -o /dev/null "http://127.0.0.1:$port/sub/probe?x" --max-time 0.2 || [ $? -eq 28 ]; do
        kill -0 "$nginx_pid" 2>/dev/null || { cat "$prefix/nginx.out" "$prefix/error.log" >&2; exit 1; }
        sleep 0.01
    done
    startup_ms=$((($(date +%s%N) - started) / 1000000))
    version="nginx $(nginx -v 2>&1 | sed -n 's#.*nginx/##p') + nchan $(dpkg-query -W -f '${Version}' libnginx-mod-nchan 2>/dev/null | sed 's/^1://; s/+.*//')"
    echo "bench: $version on 127.0.0.1:$port (started in $startup_ms ms)"
    nchan_options=(-Dbench.nchan.port="$port" -Dbench.nchan.pid="$prefix/nginx.pid"
        -Dbench.nchan.startup-ms="$startup_ms" "-Dbench.nchan.version=$version")
fi

java -Xmx6g -Djava.awt.headless=true "${nchan_options[@]}" "$@" \
    -cp "target/classes:$(cat target/classpath.txt)" io.assistantstream.bench.Bench "$root"
