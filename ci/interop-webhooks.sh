# shellcheck shell=bash
# Interop stage "webhooks": `berth admin webhooks add` with a receiver (a small python3 HTTP server that logs every
# request's headers and body, and answers the first one 500), skopeo pushes, and the receiver gets the push as an
# "ECR Image Action" envelope, signed (Berth-Signature checked with python's hmac), retried once with the same
# Berth-Event-Id; `webhooks deliveries` shows FAILED then DELIVERED; a URL at Berth itself is refused.
# Sourced by ci/interop.sh, which defines berth_admin, sk_copy and the check helpers; the server runs with
# BERTH_WEBHOOKS_ALLOW_PRIVATE=true (the receiver is on 127.0.0.1).

WEBHOOK_PID=""
stop_webhook_receiver() {
  [[ -n $WEBHOOK_PID ]] || return 0
  kill "$WEBHOOK_PID" 2>/dev/null || true
  wait "$WEBHOOK_PID" 2>/dev/null || true
  WEBHOOK_PID=""
}

stage_webhooks() {
  banner "webhooks: berth admin webhooks + a python3 receiver + skopeo push"
  [[ -n ${LAYOUT:-} ]] || oci_build_images
  local port log out id secret repo=interop/hooks/app i
  port=$(free_port)
  log=$WORK/webhook-requests.jsonl
  cat >"$WORK/receiver.py" <<'PY'
import http.server, json, sys
log, answered = sys.argv[2], [0]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        answered[0] += 1
        status = 500 if answered[0] == 1 else 200
        with open(log, "a") as f:
            f.write(json.dumps({"status": status, "headers": dict(self.headers), "body": body}) + "\n")
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
  python3 "$WORK/receiver.py" "$port" "$log" &
  WEBHOOK_PID=$!
  EXIT_HOOKS+=(stop_webhook_receiver)

  out=$(BERTH_WEBHOOKS_ALLOW_PRIVATE=true berth_admin webhooks add "http://127.0.0.1:$port/hook" \
    --events "ECR Image Action" --repository-filter "$repo")
  id=$(sed -n 's/^WebhookId: *//p' <<<"$out")
  secret=$(sed -n 's/^Secret: *//p' <<<"$out")
  check_eq webhooks-add "webhooks add prints an id and a whsec_ secret" "wh- whsec_" "${id:0:3} ${secret:0:6}"
  check webhooks-push "skopeo push to $repo:1.0" sk_copy "oci:$LAYOUT:amd64" "docker://$REG/$repo:1.0"
  for i in $(seq 1 60); do
    [[ -f $log ]] && (($(wc -l <"$log") >= 2)) && break
    sleep 0.5
  done
  check_eq webhooks-retry "a 500, then the retry delivered: statuses" "500 200" \
    "$(jq -r .status "$log" 2>/dev/null | head -2 | tr '\n' ' ' | sed 's/ $//')"
  check_eq webhooks-same-id "the retry carries the same Berth-Event-Id" 1 \
    "$(jq -r '.headers["Berth-Event-Id"]' "$log" 2>/dev/null | head -2 | sort -u | wc -l)"
  check_eq webhooks-envelope "envelope: source, detail-type, action, repository, tag" \
    "aws.ecr|ECR Image Action|PUSH|$repo|1.0" \
    "$(sed -n 2p "$log" | jq -r '.body | fromjson | "\(.source)|\(.["detail-type"])|\(.detail["action-type"])|\(.detail["repository-name"])|\(.detail["image-tag"])"' 2>/dev/null)"
  check_eq webhooks-signature "Berth-Signature v1 = HMAC-SHA256(secret, t.body)" ok "$(sed -n 2p "$log" | python3 -c '
import hashlib, hmac, json, sys
r = json.loads(sys.stdin.read()); secret = sys.argv[1]
parts = dict(p.split("=", 1) for p in r["headers"]["Berth-Signature"].split(","))
mac = hmac.new(secret.encode(), (parts["t"] + "." + r["body"]).encode(), hashlib.sha256).hexdigest()
print("ok" if hmac.compare_digest(mac, parts["v1"]) else "mismatch")' "$secret" 2>&1)"
  out=$(berth_admin webhooks deliveries --webhook "$id")
  check_eq webhooks-deliveries "webhooks deliveries: one FAILED (HTTP 500) and one DELIVERED" "1 1" \
    "$(grep -c ' FAILED ' <<<"$out") $(grep -c ' DELIVERED ' <<<"$out")"
  out=$(BERTH_LISTEN=127.0.0.1:$REG_PORT BERTH_WEBHOOKS_ALLOW_PRIVATE=true berth_admin webhooks add \
    "http://127.0.0.1:$REG_PORT/v2/" || true)
  check_eq webhooks-ssrf-self "a receiver at Berth itself is refused" 1 "$(grep -c 'points at Berth itself' <<<"$out")"
  check webhooks-remove "webhooks remove $id" berth_admin webhooks remove "$id"
  stop_webhook_receiver
}
