#!/usr/bin/env bash
# Runs the relay benchmark: builds the WAR, fetches Payara Micro, then measures (a few minutes).
# Results: bench/results/payara.md (or wildfly.md) and latency-payara.png (or -wildfly); BENCHMARKS.md quotes them.
# Options are passed to the benchmark's JVM, e.g.:
#   bench/run.sh -Dbench.server=wildfly                              (WildFly instead of Payara Micro)
#   bench/run.sh -Dbench.phases=latency,throughput -Dbench.jfr=true   (a profiling run: results/server.jfr)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests -Dwildfly.configure.skip=true pre-integration-test
cd bench
mvn -B -q compile
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
java -Djava.awt.headless=true "$@" -cp "target/classes:$(cat target/classpath.txt)" io.assistantstream.bench.Bench ..
