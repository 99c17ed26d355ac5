#!/usr/bin/env bash
# In-process engine throughput: lib input -> engine -> counting lib output. Arg: record count.
# BENCH_OPTS=-Dtap=idle opens a tap on another instance (the cost of taps for everyone else).
set -euo pipefail
cd "$(dirname "$0")/.."
CP=$(bench/classpath.sh)
JAVA=${SLUICE_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
exec "$JAVA" -Xmx512m ${BENCH_OPTS:-} -cp "$CP" dev.sluice.bench.PipelineThroughput "$@"
