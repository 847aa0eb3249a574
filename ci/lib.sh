# shellcheck shell=bash
# Shared helpers for the CI scripts: banners, check bookkeeping, HTTP and
# OCI-layout helpers. Source it; it defines functions and counters only.

# ---------------------------------------------------------------- output ---
banner() {
  printf '\n==== [%s] %s ====\n' "$(date -u +%H:%M:%S)" "$*"
}
log()  { printf '  .. %s\n' "$*"; }
die()  { printf 'FATAL: %s\n' "$*" >&2; exit 2; }

# ---------------------------------------------------------------- checks ---
# Every check has a short id. A check listed in INTEROP_XFAIL (space separated)
# is known to fail on the registry under test: its failure is reported as XFAIL
# and does not fail the run (used when developing against CNCF distribution).
PASS_COUNT=0
FAIL_COUNT=0
XFAIL_COUNT=0
FAILED_IDS=()
XFAILED_IDS=()
CHECK_DETAIL=""      # set by assertion helpers: why the last one failed

_is_xfail() {
  local id=$1 x
  for x in ${INTEROP_XFAIL:-}; do [[ $x == "$id" ]] && return 0; done
  return 1
}

pass() {
  PASS_COUNT=$((PASS_COUNT + 1))
  printf 'PASS  %-28s %s\n' "$1" "$2"
}

fail() {
  local id=$1 what=$2 why=${3:-}
  if _is_xfail "$id"; then
    XFAIL_COUNT=$((XFAIL_COUNT + 1)); XFAILED_IDS+=("$id")
    printf 'XFAIL %-28s %s%s\n' "$id" "$what" "${why:+ -- $why}"
  else
    FAIL_COUNT=$((FAIL_COUNT + 1)); FAILED_IDS+=("$id")
    printf 'FAIL  %-28s %s%s\n' "$id" "$what" "${why:+ -- $why}"
  fi
}

# redact TEXT: TEXT with credentials replaced by *** (the secret of REG_CREDS, and the value after --creds,
# --src-creds, --dest-creds, --user, -u and --password), so a failure can print the command it ran
redact() {
  local text=$1 secret=${REG_CREDS#*:}
  [[ -n ${REG_CREDS:-} && -n $secret ]] && text=${text//"$secret"/***}
  sed -E 's/(--(src-|dest-)?creds[= ]|--user[= ]|--password[= ]|(^| )-u )[^ ]+/\1***/g' <<<"$text"
}

# check ID "description" command [args...]
# Runs the command (stdout+stderr captured); PASS if it exits 0. A failure prints the command that was tried
# (redacted) and the last lines of its output.
check() {
  local id=$1 what=$2 out rc
  shift 2
  CHECK_DETAIL=""
  set +e
  out=$("$@" 2>&1)
  rc=$?
  set -e
  if ((rc == 0)); then
    pass "$id" "$what"
  else
    fail "$id" "$what" "${CHECK_DETAIL:-$(redact "tried: $* -> exit $rc: $(tail -n 3 <<<"$out" | tr '\n' ' ' | cut -c1-400)")}"
  fi
  return 0
}

# check_eq ID "description" EXPECTED ACTUAL
check_eq() {
  if [[ "$3" == "$4" ]]; then pass "$1" "$2"
  else fail "$1" "$2" "expected '$3', got '$4'"; fi
}

summary() {
  local total=$((PASS_COUNT + FAIL_COUNT + XFAIL_COUNT))
  banner "interop summary ($total checks)"
  ((XFAIL_COUNT > 0)) && echo "expected failures (INTEROP_XFAIL): ${XFAILED_IDS[*]}"
  ((FAIL_COUNT > 0)) && echo "failed: ${FAILED_IDS[*]}"
  # Plain closing line, read by CI: 'N passed, N failed'.
  echo "interop: $PASS_COUNT passed, $FAIL_COUNT failed, $XFAIL_COUNT skipped"
  ((FAIL_COUNT == 0))
}

# ------------------------------------------------------------------ HTTP ---
# http METHOD URL [curl args...]
# Sets HTTP_STATUS, HTTP_BODY (file) and HTTP_HEADERS (file). Never fails.
# Sends -u "$REG_CREDS" (key:secret) when REG_CREDS is set, unless HTTP_ANON=1.
HTTP_TMP=""
http() {
  local method=$1 url=$2
  shift 2
  [[ -n $HTTP_TMP ]] || die "HTTP_TMP not set"
  HTTP_BODY=$HTTP_TMP/body
  HTTP_HEADERS=$HTTP_TMP/headers
  : >"$HTTP_BODY"; : >"$HTTP_HEADERS"
  local verb=(-X "$method")
  [[ $method == HEAD ]] && verb=(--head)   # -X HEAD would wait for a body
  local auth=()
  [[ -n ${REG_CREDS:-} && ${HTTP_ANON:-} != 1 ]] && auth=(-u "$REG_CREDS")
  HTTP_STATUS=$(curl -sS -o "$HTTP_BODY" -D "$HTTP_HEADERS" -w '%{http_code}' \
    "${verb[@]}" "${auth[@]}" --max-time 60 "$@" "$url" 2>"$HTTP_TMP/curl.err") || true
  [[ -n $HTTP_STATUS ]] || HTTP_STATUS=000
}

# header NAME  -> value of a header of the last http() response (last one wins)
header() {
  grep -i "^$1:" "$HTTP_HEADERS" | tail -n 1 | cut -d: -f2- | sed 's/^ *//; s/\r$//'
}

# error_codes -> the OCI error codes of the last response body, space separated
error_codes() {
  jq -r '[.errors[]?.code] | join(" ")' "$HTTP_BODY" 2>/dev/null || true
}

# expect_status ID "description" "ALLOWED_STATUSES" [ALLOWED_CODES] -- METHOD URL [curl args]
# ALLOWED_STATUSES: space separated (e.g. "400 404"). ALLOWED_CODES: space
# separated OCI error codes, one of which must be in the body's errors[]
# ("" or "-" = no body check).
expect_status() {
  local id=$1 what=$2 statuses=$3 codes=${4:--}
  shift 4
  [[ $1 == -- ]] && shift
  http "$@"
  local ok=0 s c got_codes
  for s in $statuses; do [[ $HTTP_STATUS == "$s" ]] && ok=1; done
  got_codes=$(error_codes)
  if ((ok)) && [[ $codes != - && -n $codes ]]; then
    ok=0
    for c in $codes; do [[ " $got_codes " == *" $c "* ]] && ok=1; done
  fi
  if ((ok)); then
    pass "$id" "$what (HTTP $HTTP_STATUS${got_codes:+ $got_codes})"
  else
    fail "$id" "$what" "want HTTP {$statuses}${codes:+ code {$codes}}, got HTTP $HTTP_STATUS code {${got_codes}} body: $(head -c 200 "$HTTP_BODY" | tr '\n' ' ')"
  fi
  return 0
}

# ------------------------------------------------------------- digests ---
sha256_of() { sha256sum "$1" | cut -d' ' -f1; }
size_of()   { stat -c %s "$1"; }

# Print the sha256 of stdin.
sha256_stdin() { sha256sum | cut -d' ' -f1; }

# ---------------------------------------------------- OCI layout helpers ---
# oci_put_blob LAYOUT FILE -> writes FILE into LAYOUT/blobs/sha256, prints
# "sha256:<hex> <size>".
oci_put_blob() {
  local layout=$1 file=$2 hex
  hex=$(sha256_of "$file")
  mkdir -p "$layout/blobs/sha256"
  cp "$file" "$layout/blobs/sha256/$hex"
  echo "sha256:$hex $(size_of "$file")"
}

# oci_blob_path LAYOUT DIGEST
oci_blob_path() { echo "$1/blobs/sha256/${2#sha256:}"; }

# oci_tag LAYOUT TAG MEDIATYPE DIGEST SIZE -> (re)points TAG in LAYOUT/index.json
oci_tag() {
  local layout=$1 tag=$2 mt=$3 dg=$4 sz=$5 tmp
  tmp=$(mktemp)
  jq --arg t "$tag" --arg mt "$mt" --arg dg "$dg" --argjson sz "$sz" '
      .manifests = ([.manifests[]? | select(.annotations["org.opencontainers.image.ref.name"] != $t)]
        + [{mediaType: $mt, digest: $dg, size: $sz,
            annotations: {"org.opencontainers.image.ref.name": $t}}])' \
    "$layout/index.json" >"$tmp"
  mv "$tmp" "$layout/index.json"
}

# oci_descriptor LAYOUT TAG -> the index.json descriptor (JSON) for TAG
oci_descriptor() {
  jq -c --arg t "$2" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t)' \
    "$1/index.json"
}

# ------------------------------------------------------------ processes ---
# free_port -> a TCP port on 127.0.0.1 nobody listens on
free_port() {
  local p _
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"; return 0
    fi
  done
  die "no free port found"
}
