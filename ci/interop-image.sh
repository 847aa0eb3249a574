# shellcheck shell=bash
# Stage "image" (issue 14 §5): the systemd unit passes `systemd-analyze verify`; jib builds Berth's container image
# on the Debian 12 + openjdk-17-jre-headless base from ci/jre-image.sh and pushes it to the running Berth itself;
# skopeo inspect reads back its user, volume, entrypoint and platform; and the image's root filesystem, unpacked by
# umoci, serves /healthz and /readyz as uid 10001 (chroot: there is no container engine that may run it here).
# It runs in the first pass only (SQLite, filesystem): the image does not depend on Berth's stores.
# Sourced by ci/interop.sh.

IMAGE_CHROOT_PID=""
IMAGE_PROC=""
stop_image_chroot() {
  if [[ -n $IMAGE_CHROOT_PID ]]; then
    kill -TERM "$IMAGE_CHROOT_PID" 2>/dev/null || true
    wait "$IMAGE_CHROOT_PID" 2>/dev/null || true
    IMAGE_CHROOT_PID=""
  fi
  if [[ -n $IMAGE_PROC ]]; then umount "$IMAGE_PROC" 2>/dev/null || true; IMAGE_PROC=""; fi
}

stage_image() {
  banner "image: systemd unit, jib image pushed to Berth, skopeo inspect"
  image_systemd_unit
  if [[ ${BERTH_METADATA_TYPE:-sqlite} != sqlite || ${BERTH_STORAGE_TYPE:-filesystem} != filesystem ]]; then
    log "image: built in the first pass only (metadata ${BERTH_METADATA_TYPE:-sqlite}, storage ${BERTH_STORAGE_TYPE:-filesystem}): skipped"
    return
  fi
  [[ -n $REG_CREDS ]] || { fail image-creds "the image stage needs credentials (Berth)" "REG_CREDS empty"; return; }
  local base ref=$REG/berth/berth:interop config
  if ! base=$("$ROOT/ci/jre-image.sh"); then
    log "image: no JRE base image here (ci/jre-image.sh needs debootstrap, umoci, root and a Debian mirror once): skipped"
    return
  fi
  log "base $base"
  check image-push "jib (-Pimage-push) builds Berth on tar://$(basename "$base") and pushes $ref" image_jib_push "$ref" "$base"
  config=$(sk_inspect --config "docker://$ref" 2>&1) || config="{}"
  check_eq image-user "the image runs as the numeric non-root user 10001:10001" 10001:10001 \
    "$(jq -r '.config.User' <<<"$config" 2>/dev/null)"
  check_eq image-volume "/data is the image's only volume" '["/data"]' \
    "$(jq -c '.config.Volumes | keys' <<<"$config" 2>/dev/null)"
  check_eq image-entrypoint "entrypoint berth, arguments serve --data /data" \
    '["/usr/local/bin/berth"] ["serve","--data","/data"]' \
    "$(jq -c '.config.Entrypoint, .config.Cmd' <<<"$config" 2>/dev/null | paste -sd' ')"
  check_eq image-platform "skopeo inspect: linux/amd64" "linux amd64" \
    "$(sk_inspect --format '{{.Os}} {{.Architecture}}' "docker://$ref" 2>&1)"
  check_eq image-base-layer "the base's layer (diff ID) is the image's first (jib kept the debootstrap base)" \
    "$(skopeo inspect --config "docker-archive:$base" 2>/dev/null | jq -r '.rootfs.diff_ids[0]')" \
    "$(jq -r '.rootfs.diff_ids[0]' <<<"$config" 2>/dev/null)"
  image_runs "$ref"
}

image_systemd_unit() {
  local unit=$ROOT/ops/systemd/berth.service
  check_eq image-unit-hardening "berth.service: ProtectSystem=strict, NoNewPrivileges, empty CapabilityBoundingSet" \
    "ProtectSystem=strict NoNewPrivileges=true CapabilityBoundingSet=" \
    "$(grep -oE '^(ProtectSystem=strict|NoNewPrivileges=true|CapabilityBoundingSet=)$' "$unit" | paste -sd' ')"
  if command -v systemd-analyze >/dev/null; then
    check image-unit-verify "systemd-analyze verify ops/systemd/berth.service: no warnings" image_unit_verify "$unit"
  else
    log "image: no systemd-analyze here: the unit is not verified"
  fi
}

# systemd-analyze verify exits 0 on some warnings; any output is a finding
image_unit_verify() {
  local out
  out=$(cd "$WORK" && systemd-analyze verify "$1" 2>&1) || { echo "$out"; return 1; }
  [[ -z $out ]] || { echo "$out"; return 1; }
}

image_jib_push() {
  local ref=$1 base=$2
  # jib reads sendCredentialsOverHttp (plain HTTP to 127.0.0.1) from the JVM's system properties: MAVEN_OPTS
  (cd "$ROOT" && MAVEN_OPTS="${MAVEN_OPTS:-} -DsendCredentialsOverHttp=true" timeout 600 ./mvnw -B -q -Pimage-push package -pl berth-server -am -DskipTests \
    -Dberth.image.base="tar://$base" -Djib.to.image="$ref" -Djib.allowInsecureRegistries=true \
    -Djib.to.auth.username="${REG_CREDS%%:*}" -Djib.to.auth.password="${REG_CREDS#*:}" -Djib.console=plain) \
    >"$WORK/jib.log" 2>&1 || { grep -m2 -E 'ERROR|Exception' "$WORK/jib.log" | cut -c1-300; return 1; }
}

# Pulls the image back from Berth, unpacks it with umoci and starts its entrypoint in a chroot as 10001:10001, with
# the image's own /data: /healthz and /readyz answer, and the files Berth wrote there belong to 10001.
image_runs() {
  local ref=$1 root=$WORK/image-bundle/rootfs port env deadline code
  if ! sk_copy "docker://$ref" "oci:$WORK/image-layout:berth" >/dev/null 2>&1 ||
    ! umoci unpack --image "$WORK/image-layout:berth" "$WORK/image-bundle" >/dev/null 2>&1; then
    fail image-unpack "pull the image back and unpack it (umoci)" "skopeo copy or umoci unpack failed"
    return
  fi
  # The JVM finds its libraries through /proc/self/exe, as in any container; without a mount, no run check.
  if ! mount -t proc proc "$root/proc" 2>/dev/null; then
    log "image: cannot mount /proc for a chroot here: the run check is skipped"
    return
  fi
  IMAGE_PROC=$root/proc
  EXIT_HOOKS+=(stop_image_chroot)
  port=$(free_port)
  env=$(sk_inspect --config "docker://$ref" | jq -r '.config.Env[]')
  # shellcheck disable=SC2046 # one word per KEY=VALUE of the image's environment
  (cd / && exec env -i $(tr '\n' ' ' <<<"$env") BERTH_LISTEN="127.0.0.1:$port" \
    chroot --userspec=10001:10001 "$root" /usr/local/bin/berth serve --data /data) >"$WORK/image-run.log" 2>&1 &
  IMAGE_CHROOT_PID=$!
  deadline=$((SECONDS + START_TIMEOUT))
  until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/healthz" || true) == 200 ]]; do
    if ! kill -0 "$IMAGE_CHROOT_PID" 2>/dev/null || ((SECONDS >= deadline)); then
      fail image-run "the image's entrypoint serves /healthz as 10001" "$(tail -n 3 "$WORK/image-run.log" | tr '\n' ' ')"
      stop_image_chroot
      return
    fi
    sleep 0.5
  done
  pass image-run "the image's entrypoint (chroot as 10001:10001) serves /healthz"
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/readyz" || true)
  check_eq image-readyz "... and /readyz answers 200" 200 "$code"
  check_eq image-data-owner "the database Berth made in the image's /data belongs to 10001" 10001 \
    "$(stat -c %u "$root/data/berth.db" 2>&1)"
  stop_image_chroot
}
