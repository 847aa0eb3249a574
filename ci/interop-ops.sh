# shellcheck shell=bash
# Stage "ops" (issue 14 §2, §4): a second Berth with a management port and throttling on; curl scrapes /metrics
# there, the main port hides it, /v2/ and the ECR API refuse over the quota, and the AWS CLI v2 recovers from
# ThrottlingException by its own retries (AWS_MAX_ATTEMPTS). Sourced by ci/interop.sh.

OPS_PID=""
stop_ops_registry() {
  [[ -n $OPS_PID ]] || return 0
  kill -TERM -- "-$OPS_PID" 2>/dev/null || kill -TERM "$OPS_PID" 2>/dev/null || true
  wait "$OPS_PID" 2>/dev/null || true
  OPS_PID=""
}

# ops_aws ATTEMPTS args...: the AWS CLI v2 at the ops registry, with at most ATTEMPTS attempts per call
ops_aws() {
  local attempts=$1
  shift
  AWS_ACCESS_KEY_ID=${REG_CREDS%%:*} AWS_SECRET_ACCESS_KEY=${REG_CREDS#*:} AWS_DEFAULT_REGION=us-east-1 \
    AWS_MAX_ATTEMPTS=$attempts AWS_RETRY_MODE=standard AWS_PAGER="" \
    timeout 120 "$AWS_CLI" --endpoint-url "http://$OPS_REG" --no-cli-pager --output json ecr "$@"
}

stage_ops() {
  banner "ops: /metrics on the management port, throttling on both planes, AWS CLI retries"
  [[ -n $REG_CREDS ]] || { fail ops-creds "the ops stage needs credentials (Berth)" "REG_CREDS empty"; return; }
  local port mport data deadline out code i refused=0 ok=0
  port=$(free_port)
  mport=$(free_port)
  data=$WORK/ops-data
  mkdir -p "$data"
  OPS_REG=127.0.0.1:$port
  EXIT_HOOKS+=(stop_ops_registry)
  # its own embedded stores: the PostgreSQL and S3 passes export their database and bucket, which this second
  # server must not share with the pass's registry (a second node there, under another master key)
  local isolate=() v
  for v in $(compgen -e | grep -E '^BERTH_(METADATA|STORAGE)_' || true); do isolate+=(-u "$v"); done
  (cd "$ROOT" && BERTH_MANAGEMENT_LISTEN=127.0.0.1:$mport BERTH_THROTTLING_MODE=custom \
    BERTH_THROTTLING_RATES=DescribeRepositories=1,ListImages=1 \
    exec env "${isolate[@]}" setsid ./berth serve --listen "$OPS_REG" --data "$data") >"$WORK/ops.log" 2>&1 </dev/null &
  OPS_PID=$!
  deadline=$((SECONDS + START_TIMEOUT))
  until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$mport/readyz" || true) == 200 ]]; do
    ((SECONDS < deadline)) || { fail ops-start "Berth with management.listen answers /readyz" "no 200"; return; }
    sleep 0.5
  done
  pass ops-start "Berth with management.listen answers /readyz on 127.0.0.1:$mport"

  out=$(ops_aws 10 create-repository --repository-name ops/app 2>&1 || true)
  check_eq ops-create "create-repository ops/app" ops/app "$(jq -r .repository.repositoryName <<<"$out" 2>/dev/null)"
  curl -s -o /dev/null -u "$REG_CREDS" "http://$OPS_REG/v2/ops/app/tags/list" || true

  out=$(curl -s --max-time 10 "http://127.0.0.1:$mport/metrics" || true)
  check_eq ops-metrics "curl management /metrics: the ECR CreateRepository request is counted" 1 \
    "$(grep -c '^berth_requests_seconds_count{api="ecr",operation="CreateRepository",status="200"}' <<<"$out")"
  check_eq ops-metrics-jvm "curl management /metrics: JVM and process metrics" 2 \
    "$(grep -cE '^(jvm_threads_live_threads|process_uptime_seconds) ' <<<"$out")"
  check_eq ops-metrics-labels "no repository name in any label" 0 "$(grep -c 'ops/app' <<<"$out")"
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://$OPS_REG/metrics" || true)
  check_eq ops-metrics-main "main port /metrics without management.token -> 404" 404 "$code"

  # /v2/: tags/list is ListImages, 1/s
  for i in 1 2 3 4 5; do
    code=$(curl -s -o "$WORK/ops-429" -D "$WORK/ops-429.h" -w '%{http_code}' -u "$REG_CREDS" \
      "http://$OPS_REG/v2/ops/app/tags/list" || true)
    [[ $code == 429 ]] && break
  done
  check_eq ops-v2-429 "/v2/ over ListImages 1/s -> 429" 429 "$code"
  check_eq ops-v2-code "429 body code TOOMANYREQUESTS" TOOMANYREQUESTS \
    "$(jq -r '.errors[0].code' "$WORK/ops-429" 2>/dev/null)"
  check_eq ops-v2-retry-after "429 carries Retry-After" 1 "$(grep -ci '^retry-after: [0-9]' "$WORK/ops-429.h")"

  # the ECR API without retries: a burst of describe-repositories at 1/s is refused
  out=$(for i in 1 2 3 4; do ops_aws 1 describe-repositories 2>&1 & done; wait) # a subshell: its own children
  check_eq ops-ecr-throttled "AWS_MAX_ATTEMPTS=1: a burst of 4 at 1/s meets ThrottlingException" 1 \
    "$( (grep -qF '(ThrottlingException)' <<<"$out" && echo 1) || echo 0)"
  # with the CLI's retries, every call of the same burst succeeds
  sleep 2
  local pids=()
  for i in 1 2 3 4; do
    (ops_aws 10 describe-repositories >"$WORK/ops-retry-$i" 2>&1 && echo ok >>"$WORK/ops-retry-$i") &
    pids+=($!)
  done
  wait "${pids[@]}" # not a bare wait: the ops registry is a child of this shell too
  for i in 1 2 3 4; do grep -q '^ok$' "$WORK/ops-retry-$i" && ok=$((ok + 1)); done
  check_eq ops-ecr-retry "AWS_MAX_ATTEMPTS=10: all 4 calls of a burst at 1/s succeed after retries" 4 "$ok"
  out=$(curl -s --max-time 10 "http://127.0.0.1:$mport/metrics" || true)
  refused=$(grep '^berth_requests_seconds_count{api="ecr",operation="DescribeRepositories",status="400"}' <<<"$out" \
    | awk '{print int($2)}')
  check ops-metrics-throttled "metrics count the refused DescribeRepositories calls (status 400): ${refused:-0}" \
    test "${refused:-0}" -gt 0
  stop_ops_registry
}
