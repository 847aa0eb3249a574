#!/usr/bin/env bash
# Runs CNCF distribution (Debian package docker-registry) as a stand-in for
# Berth, so ci/interop.sh can be developed and compared against it:
#
#   REGISTRY_CMD=ci/distribution-registry.sh ci/interop.sh
#
# Uses REG_PORT and REG_DATA exported by ci/interop.sh; with REG_HTPASSWD (a bcrypt htpasswd file) it wants
# Basic credentials, as the pull-through stage's authenticated upstream.
set -euo pipefail
: "${REG_PORT:?}" "${REG_DATA:?}"
mkdir -p "$REG_DATA/storage"
cat >"$REG_DATA/config.yml" <<EOF
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $REG_DATA/storage
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: 127.0.0.1:$REG_PORT
EOF
if [[ -n ${REG_HTPASSWD:-} ]]; then
  printf 'auth:\n  htpasswd:\n    realm: berth-interop\n    path: %s\n' "$REG_HTPASSWD" >>"$REG_DATA/config.yml"
fi
exec /usr/bin/docker-registry serve "$REG_DATA/config.yml"
