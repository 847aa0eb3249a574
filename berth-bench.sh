#!/usr/bin/env bash
# Runs the side-by-side benchmark of Berth and CNCF distribution (see berth-bench/README-section.md).
# Builds the berth-bench module first if its jar is missing; all arguments are passed to the tool.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="$ROOT/berth-bench/target/berth-bench.jar"
if [[ ! -f "$JAR" ]]; then
  echo "berth-bench: building $JAR ..." >&2
  (cd "$ROOT" && ./mvnw -q -pl berth-bench package)
fi
exec java ${BERTH_BENCH_JAVA_OPTS:-} -Dberth.root="$ROOT" -jar "$JAR" "$@"
