#!/usr/bin/env bash
# Runs the side-by-side benchmark of Berth and CNCF distribution (see berth-bench/README-section.md).
# Builds the berth-bench module first if its jar is missing or older than its sources; all arguments are
# passed to the tool. (Named .sh because ./berth-bench is the module's directory.)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="$ROOT/berth-bench/target/berth-bench.jar"
if [[ ! -f "$JAR" || -n "$(find "$ROOT/berth-bench/src" "$ROOT/berth-bench/pom.xml" -newer "$JAR" -print -quit)" ]]; then
  echo "berth-bench: building $JAR ..." >&2
  (cd "$ROOT" && ./mvnw -q -pl berth-bench package)
fi
exec java ${BERTH_BENCH_JAVA_OPTS:-} -Dberth.root="$ROOT" -jar "$JAR" "$@"
