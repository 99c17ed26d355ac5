#!/usr/bin/env bash
# Runs the JMH benchmarks (all, or those matching the arguments), e.g. bench/jmh.sh CodecBenchmark
set -euo pipefail
cd "$(dirname "$0")/.."
CP=$(bench/classpath.sh)
JAVA=${SLUICE_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
exec "$JAVA" -cp "$CP" org.openjdk.jmh.Main "$@"
