#!/usr/bin/env bash
# A standalone S3 server for the interop stage on S3: S3Proxy (Maven Central, test scope of berth-storage-s3) over
# an in-memory store, SigV4 with fixed test credentials. Needs the build's berth-storage-s3/target (./mvnw verify
# writes the class path to target/s3proxy.classpath). Runs in the foreground until killed.
#
#   ci/s3proxy.sh PORT BUCKET          (S3PROXY_HEAP=3g for benchmark-sized blobs: it keeps them in memory)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
T=$ROOT/berth-storage-s3/target
[[ -f $T/s3proxy.classpath && -d $T/test-classes ]] || { echo "build berth-storage-s3 first (./mvnw verify)" >&2; exit 2; }
exec java -Xmx"${S3PROXY_HEAP:-256m}" -cp "$T/test-classes:$(cat "$T/s3proxy.classpath")" io.berth.storage.s3.S3ProxyServer "$@"
