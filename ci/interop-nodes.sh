# shellcheck shell=bash
# Interop stage "nodes": two `./berth serve` processes over one PostgreSQL schema and one S3 bucket (a standalone
# S3Proxy, ci/s3proxy.sh), behind nginx as the load balancer, driven by skopeo, curl and the AWS CLI. nginx hashes
# `$request_uri` here, not the README's `$uri`: the query differs between an upload's requests, so sessions move
# between nodes even before one is killed, which is the harder case. A push through the balancer pulls back from each node directly;
# a chunked upload continues on the other node after the node serving it is killed with SIGKILL; GC (`berth gc`)
# runs while a node takes pushes, and every acknowledged image pulls back. The stage brings its own schema, bucket
# and nodes, so it runs in any pass; it needs psql (PostgreSQL on 127.0.0.1:5432) and nginx (Debian package).
# Sourced by ci/interop.sh, which defines awsecr, sk_copy, sk_inspect and the checks.

NODES_PIDS=()
NODES_NGINX_PID=""
NODES_SCHEMA=""
NODES_NGINX_DIR=""

stop_nodes_stage() {
  local p
  [[ -n $NODES_NGINX_PID ]] && kill -TERM "$NODES_NGINX_PID" 2>/dev/null
  for p in "${NODES_PIDS[@]}"; do
    kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null || true
  done
  for p in "${NODES_PIDS[@]}" $NODES_NGINX_PID; do wait "$p" 2>/dev/null || true; done
  NODES_PIDS=()
  NODES_NGINX_PID=""
  [[ -n $NODES_NGINX_DIR ]] && rm -rf "$NODES_NGINX_DIR"
  NODES_NGINX_DIR=""
  if [[ -n $NODES_SCHEMA ]]; then
    psql -h 127.0.0.1 -U postgres -d test -qc "DROP SCHEMA IF EXISTS $NODES_SCHEMA CASCADE" >/dev/null 2>&1 || true
    NODES_SCHEMA=""
  fi
}

# nodes_env CMD...: CMD in the environment every node (and `berth admin`/`berth gc` beside them) shares
NODES_ENV=()
nodes_env() { env "${NODES_ENV[@]}" "$@"; }

# start_node N: node N in the background (its own process group), on its own port and data directory
start_node() {
  local n=$1 port
  port=$(free_port)
  mkdir -p "$WORK/node$n"
  (cd "$ROOT" && exec setsid env "${NODES_ENV[@]}" ./berth serve --listen "127.0.0.1:$port" --data "$WORK/node$n") \
    >"$WORK/node$n.log" 2>&1 </dev/null &
  NODES_PIDS[$n]=$!
  NODE_PORT[$n]=$port
}

wait_answering() {
  local url=$1 deadline=$((SECONDS + START_TIMEOUT))
  until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -u "$REG_CREDS" "$url/v2/" || true) == 200 ]]; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

stage_nodes() {
  banner "nodes: two Berth nodes over PostgreSQL + S3 behind nginx"
  if [[ $REGISTRY_CMD != ./berth* || -z $REG_CREDS ]]; then
    log "skipped: needs ./berth with credentials"
    return
  fi
  if [[ -n ${BERTH_METADATA_TYPE:-}${BERTH_STORAGE_TYPE:-} && -z ${INTEROP_NODES_EVERY_PASS:-} ]]; then
    log "skipped in this pass: the stage brings its own PostgreSQL schema and bucket, so the first pass ran it"
    return
  fi
  local missing=""
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=" nginx"
  command -v psql >/dev/null || missing+=" psql"
  if [[ -n $missing ]]; then
    fail nodes-tools "nginx and psql for the nodes stage" "missing:$missing"
    return
  fi
  [[ -n ${LAYOUT:-} ]] || oci_build_images
  EXIT_HOOKS+=(stop_nodes_stage)
  declare -gA NODE_PORT=()
  NODES_SCHEMA="berth_nodes_$$_$RANDOM"
  psql -h 127.0.0.1 -U postgres -d test -qc "CREATE SCHEMA $NODES_SCHEMA" >/dev/null
  local s3_port
  s3_port=$(free_port)
  NODES_ENV=(BERTH_METADATA_TYPE=postgres BERTH_METADATA_USER=postgres
    "BERTH_METADATA_URL=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$NODES_SCHEMA"
    BERTH_STORAGE_TYPE=s3 BERTH_STORAGE_S3_BUCKET=berth-nodes BERTH_STORAGE_S3_PATH_STYLE=true
    BERTH_STORAGE_ENCRYPT_AT_REST=false
    "BERTH_STORAGE_S3_ENDPOINT=http://127.0.0.1:$s3_port" "BERTH_MASTER_KEY=$(head -c 32 /dev/urandom | base64)"
    "BERTH_JAVA_OPTS=-Daws.accessKeyId=AKIAS3PROXYTEST00001 -Daws.secretAccessKey=s3proxy-test-secret"
    BERTH_GC_INTERVAL=0)
  (cd "$ROOT" && exec setsid ci/s3proxy.sh "$s3_port" berth-nodes) >"$WORK/nodes-s3proxy.log" 2>&1 &
  NODES_PIDS[0]=$!
  local deadline=$((SECONDS + 60))
  until grep -q 'S3Proxy listening' "$WORK/nodes-s3proxy.log" 2>/dev/null; do
    ((SECONDS < deadline)) || { fail nodes-s3 "S3Proxy starts" "$(tail -5 "$WORK/nodes-s3proxy.log")"; return; }
    sleep 0.5
  done
  # the first node migrates the schema; the second starts once it answers
  start_node 1
  wait_answering "http://127.0.0.1:${NODE_PORT[1]}" || { fail nodes-start "node 1 answers" "$(tail -20 "$WORK/node1.log")"; return; }
  start_node 2
  wait_answering "http://127.0.0.1:${NODE_PORT[2]}" || { fail nodes-start "node 2 answers" "$(tail -20 "$WORK/node2.log")"; return; }

  local lb_port lb conf
  lb_port=$(free_port)
  lb=127.0.0.1:$lb_port
  # its own directory, readable by the unprivileged worker processes nginx switches to when started as root (the
  # work directory is 0700)
  NODES_NGINX_DIR=$(mktemp -d /tmp/berth-nginx.XXXXXX)
  chmod 755 "$NODES_NGINX_DIR"
  conf=$NODES_NGINX_DIR/nginx.conf
  cat >"$conf" <<EOF
worker_processes 1;
daemon off;
pid $NODES_NGINX_DIR/nginx.pid;
error_log $NODES_NGINX_DIR/error.log warn;
events { worker_connections 256; }
http {
  access_log $NODES_NGINX_DIR/access.log;
  client_body_temp_path $NODES_NGINX_DIR/body;
  proxy_temp_path $NODES_NGINX_DIR/proxy;
  fastcgi_temp_path $NODES_NGINX_DIR/fastcgi;
  uwsgi_temp_path $NODES_NGINX_DIR/uwsgi;
  scgi_temp_path $NODES_NGINX_DIR/scgi;
  upstream berth {
    hash \$request_uri consistent;
    server 127.0.0.1:${NODE_PORT[1]} max_fails=1 fail_timeout=10s;
    server 127.0.0.1:${NODE_PORT[2]} max_fails=1 fail_timeout=10s;
  }
  server {
    listen $lb;
    client_max_body_size 0;
    location / {
      proxy_pass http://berth;
      proxy_http_version 1.1;
      proxy_set_header Host \$http_host;
      proxy_set_header Connection "";
      proxy_connect_timeout 2s;
      proxy_read_timeout 300s;
      proxy_next_upstream error timeout non_idempotent;
      add_header X-Berth-Upstream \$upstream_addr always;
    }
  }
}
EOF
  local nginx_bin
  nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
  "$nginx_bin" -c "$conf" -p "$NODES_NGINX_DIR" >"$NODES_NGINX_DIR/stdout.log" 2>&1 </dev/null &
  NODES_NGINX_PID=$!
  wait_answering "http://$lb" || { fail nodes-lb "nginx answers" "$(cat "$NODES_NGINX_DIR/error.log")"; return; }

  local out admin_out
  admin_out=$(cd "$ROOT" && nodes_env ./berth admin nodes --data "$WORK/node1" 2>&1 || true)
  check_eq nodes-admin-live "berth admin nodes: two live nodes" 2 "$(grep -c ' live ' <<<"$admin_out")"

  # a push through the balancer pulls back from each node directly, byte-identical (skopeo verifies digests)
  check nodes-push-lb "skopeo push nodes/app:1 through nginx" sk_copy "oci:$LAYOUT:amd64" "docker://$lb/nodes/app:1"
  check nodes-push-lb-multi "skopeo push the index nodes/app:multi through nginx" sk_copy --all \
    "oci:$LAYOUT:multi" "docker://$lb/nodes/app:multi"
  local n
  for n in 1 2; do
    check_same_manifest "nodes-pull-node$n" "nodes/app:1 from node $n" "docker://$lb/nodes/app:1" \
      "docker://127.0.0.1:${NODE_PORT[$n]}/nodes/app:1"
    check "nodes-pull-node$n-layers" "skopeo pull nodes/app:multi (every layer) from node $n" sk_copy --all \
      "docker://127.0.0.1:${NODE_PORT[$n]}/nodes/app:multi" "oci:$WORK/nodes-pulled-$n:multi"
  done
  out=$(BASE=http://$lb awsecr describe-images --repository-name nodes/app --image-ids imageTag=1 2>&1 || true)
  check_eq nodes-aws-lb "aws ecr describe-images through nginx: the pushed digest" "$APP_DIGEST" \
    "$(jq -r '.imageDetails[0].imageDigest' <<<"$out" 2>/dev/null)"
  # a tag moved through node 1 is what node 2 answers at once
  check nodes-retag "skopeo push nodes/app:1 := arm64 to node 1" sk_copy "oci:$LAYOUT:arm64" \
    "docker://127.0.0.1:${NODE_PORT[1]}/nodes/app:1"
  check_eq nodes-retag-seen "node 2 answers the moved tag" "$ARM_DIGEST" \
    "$(sk_digest "docker://127.0.0.1:${NODE_PORT[2]}/nodes/app:1" 2>&1 || true)"

  nodes_gc_while_pushing "$lb"
  nodes_kill_mid_upload "$lb"
}

# GC (`berth gc` beside the nodes, a third process on the database and bucket) while node 2 takes pushes: every push
# skopeo saw succeed pulls back.
nodes_gc_while_pushing() {
  local lb=$1 i gc_pid pushed=() missing=0
  (cd "$ROOT" && while :; do nodes_env ./berth gc --grace 5s --data "$WORK/node1" >/dev/null 2>&1 || true; done) &
  gc_pid=$!
  for i in 1 2 3 4 5 6; do
    if sk_copy "oci:$LAYOUT:$( ((i % 2)) && echo amd64 || echo arm64)" \
      "docker://127.0.0.1:${NODE_PORT[2]}/nodes/gc:$i" >/dev/null 2>&1; then
      pushed+=("$i")
    fi
  done
  kill "$gc_pid" 2>/dev/null || true
  wait "$gc_pid" 2>/dev/null || true
  (cd "$ROOT" && nodes_env ./berth gc --grace 5s --data "$WORK/node1" >/dev/null 2>&1) || true
  check_eq nodes-gc-acked "pushes to node 2 acknowledged while GC ran" 6 "${#pushed[@]}"
  for i in "${pushed[@]}"; do
    sk_copy "docker://$lb/nodes/gc:$i" "oci:$WORK/nodes-gc-pulled:$i" >/dev/null 2>&1 || missing=$((missing + 1))
  done
  check_eq nodes-gc-intact "every acknowledged image pulls back after GC" 0 "$missing"
}

# A chunked upload through nginx: after its first chunk the node that served it is killed with SIGKILL; the next
# chunks and the commit go to the other node, and the blob pulls back byte-identical.
nodes_kill_mid_upload() {
  local lb=$1 file loc sep upstream victim=0 n dg
  file=$WORK/nodes-chunked.bin
  head -c $((9 * 1024 * 1024 + 12345)) /dev/urandom >"$file"
  dg="sha256:$(sha256_of "$file")"
  head -c $((6 * 1024 * 1024)) "$file" >"$file.1"
  dd if="$file" of="$file.2" bs=1M skip=6 count=2 status=none
  tail -c +$((8 * 1024 * 1024 + 1)) "$file" >"$file.3"
  http POST "http://$lb/v2/nodes/chunked/blobs/uploads/" -H 'Content-Length: 0'
  check_eq nodes-kill-start "POST uploads through nginx" 202 "$HTTP_STATUS"
  loc=$(header Location)
  [[ $loc == http* ]] || loc=http://$lb$loc
  http PATCH "$loc" -H 'Content-Type: application/octet-stream' -H "Content-Range: 0-$((6 * 1024 * 1024 - 1))" \
    --data-binary "@$file.1"
  check_eq nodes-kill-chunk1 "PATCH chunk 1 (6 MiB)" 202 "$HTTP_STATUS"
  upstream=$(header X-Berth-Upstream)
  loc=$(header Location)
  [[ $loc == http* ]] || loc=http://$lb$loc
  for n in 1 2; do [[ $upstream == "127.0.0.1:${NODE_PORT[$n]}" ]] && victim=$n; done
  if ((victim == 0)); then
    fail nodes-kill-which "which node served chunk 1" "X-Berth-Upstream: $upstream"
    return
  fi
  log "chunk 1 served by node $victim ($upstream): kill -9"
  kill -KILL -- "-${NODES_PIDS[$victim]}" 2>/dev/null || true
  wait "${NODES_PIDS[$victim]}" 2>/dev/null || true
  http PATCH "$loc" -H 'Content-Type: application/octet-stream' \
    -H "Content-Range: $((6 * 1024 * 1024))-$((8 * 1024 * 1024 - 1))" --data-binary "@$file.2"
  check_eq nodes-kill-chunk2 "PATCH chunk 2 after node $victim died (served by $(header X-Berth-Upstream))" 202 \
    "$HTTP_STATUS"
  check_eq nodes-kill-range "Range after chunk 2" "0-$((8 * 1024 * 1024 - 1))" "$(header Range)"
  loc=$(header Location)
  [[ $loc == http* ]] || loc=http://$lb$loc
  [[ $loc == *\?* ]] && sep='&' || sep='?'
  http PUT "$loc${sep}digest=$dg" -H 'Content-Type: application/octet-stream' --data-binary "@$file.3"
  check_eq nodes-kill-commit "PUT the last chunk with the digest" 201 "$HTTP_STATUS"
  check_eq nodes-kill-pull "GET the blob through nginx: sha256 of what was sent" "${dg#sha256:}" \
    "$(curl -s --max-time 60 -u "$REG_CREDS" "http://$lb/v2/nodes/chunked/blobs/$dg" | sha256_stdin)"
  check nodes-kill-pull-image "skopeo pull nodes/app:multi through nginx with node $victim dead" sk_copy --all \
    "docker://$lb/nodes/app:multi" "oci:$WORK/nodes-after-kill:multi"
  local deadline=$((SECONDS + 30)) admin_out=""
  while ((SECONDS < deadline)); do
    admin_out=$(cd "$ROOT" && nodes_env ./berth admin nodes --data "$WORK/node1" 2>&1 || true)
    grep -q ' dead ' <<<"$admin_out" && break
    sleep 2
  done
  check_eq nodes-admin-dead "berth admin nodes marks the killed node dead" "1 1" \
    "$(grep -c ' live ' <<<"$admin_out") $(grep -c ' dead ' <<<"$admin_out")"
}
