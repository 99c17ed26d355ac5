#!/usr/bin/env bash
# Prints the test class path (compiling first); used by the benchmark scripts.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2
echo "target/test-classes:target/classes:$(cat target/bench.classpath)"
