# Pulling the Debian minbase image (one layer, bench/fixtures.sh prepare_debian) from Debian's
# docker-registry on 127.0.0.1 into an empty store: ours (Request-ContainerImage in a warm pwsh session, so
# pwsh's start-up does not count; download, verify, unpack), `skopeo copy` into an empty containers-storage
# store (podman's store, without podman: download, verify, unpack), `podman pull` into an empty podman store
# (the same), and `skopeo copy` to an OCI layout (download and verify only: no unpacked layer, nothing a
# container could run from yet; the lower bound of moving the bytes). Each run starts empty; the MB/s figure is
# the compressed bytes moved over the median time.

PULL_REGISTRY_PID=""

cleanup_40_pull() {
    [ -n "$PULL_REGISTRY_PID" ] && kill "$PULL_REGISTRY_PID" 2>/dev/null
    PULL_REGISTRY_PID=""
}

# prepare_pull: a registry of our own serving the Debian image. Its storage is cached: skopeo pushes the image
# into it only when the cache has none (pulls only read it).
prepare_pull() {
    prepare_debian
    local storage=$CACHE/registry
    [ -f "$storage.pushed" ] || rm -rf "$storage"
    mkdir -p "$WORK/pull"
    PULL_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    cat >"$WORK/pull/registry.yml" <<CONF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $storage
http:
  addr: 127.0.0.1:$PULL_PORT
CONF
    docker-registry serve "$WORK/pull/registry.yml" 2>"$WORK/pull/registry.log" &
    PULL_REGISTRY_PID=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PULL_PORT/v2/" >/dev/null && break; sleep 0.1; done
    PULL_IMAGE=127.0.0.1:$PULL_PORT/bench/debian:1
    if [ ! -f "$storage.pushed" ]; then
        skopeo copy --quiet --dest-tls-verify=false "oci:$DEBIAN_LAYOUT:1" "docker://$PULL_IMAGE"
        touch "$storage.pushed"
    fi
    PULL_BYTES=$(skopeo inspect --raw --tls-verify=false "docker://$PULL_IMAGE" | jq '[.layers[].size] + [.config.size] | add')
}

# record_pull TOOL REFERENCE COMMAND MICROSECONDS... : a row in ms, with MB/s of the median in the tool column.
record_pull() {
    local tool=$1 reference=$2 command=$3; shift 3
    local median rate
    median=$(min_median "$@"); median=${median#* }
    rate=$(awk -v b="$PULL_BYTES" -v us="$median" 'BEGIN {printf "%.0f", b / us}')  # bytes per microsecond = MB/s
    record_times "$PULL_GROUP" "$tool ($rate MB/s)" "$command" "$reference" "$@"
}

# pull_cold TOOL REFERENCE PREPARE COMMAND... : a row from RUNS cold runs (PREPARE empties the target).
pull_cold() {
    local tool=$1 reference=$2 prepare=$3; shift 3
    local times
    # shellcheck disable=SC2086
    if times=$(RUNS=$SLOW_RUNS times_cold "$prepare" "$@"); then record_pull "$tool" "$reference" "$(quote "$@")" $times
    else record_failed "$PULL_GROUP" "$tool" "$(quote "$@")" "$reference"; fi
}

run_40_pull() {
    prepare_pull
    PULL_GROUP="pull $(awk -v b="$PULL_BYTES" 'BEGIN {printf "%.0f", b / 1e6}') MB Debian minbase from a local registry into an empty store"
    local ours=$WORK/pull/ours
    # Ours in one warm pwsh: each run timed inside the session with a fresh store (the module is loaded once); the
    # stores of earlier runs stay until the bench ends (see set_aside).
    local script
    script=$(cat <<PS
Import-Module '$MODULE/ContainerTools.psd1'
\$ContainerToolsAuthFile = '$WORK/pull/auth.json'
foreach (\$i in 1..$((SLOW_WARMUP + SLOW_RUNS))) {
    \$ContainerToolsRoot = "$ours/\$i"; \$ContainerToolsRunRoot = "$ours/\$i-run"
    sync  # the previous run's writeback is not this run's (see set_aside)
    \$watch = [Diagnostics.Stopwatch]::StartNew()
    \$null = Request-ContainerImage '$PULL_IMAGE' -ErrorAction Stop
    \$watch.Stop()
    if (\$i -gt $SLOW_WARMUP) { [long](\$watch.Elapsed.TotalMilliseconds * 1000) }  # a warm-up run readies the JIT
}
exit 0
PS
)
    local ours_times
    if ours_times=$(pwsh -NoProfile -NonInteractive -Command "$script" 2>>"$WORK/errors.log"); then
        # shellcheck disable=SC2086
        record_pull "ours: Request-ContainerImage (warm pwsh)" 0 "Request-ContainerImage $PULL_IMAGE" $ours_times
    else
        record_failed "$PULL_GROUP" "ours: Request-ContainerImage (warm pwsh)" "Request-ContainerImage $PULL_IMAGE" 0
    fi
    pull_cold "skopeo copy (to containers-storage:)" 1 \
        "unmount_below '$WORK/pull/storage'; set_aside '$WORK/pull/storage'" \
        skopeo copy --quiet --src-tls-verify=false "docker://$PULL_IMAGE" \
        "containers-storage:[overlay@$WORK/pull/storage/root+$WORK/pull/storage/run]localhost/debian:1"
    pull_cold "podman pull" 0 "unmount_below '$WORK/pull/podman'; set_aside '$WORK/pull/podman' '$WORK/pull/podman-run'" \
        "${PODMAN_ENV[@]}" podman --root "$WORK/pull/podman" --runroot "$WORK/pull/podman-run" --storage-driver overlay \
        pull --quiet --tls-verify=false "$PULL_IMAGE"
    pull_cold "skopeo copy (to oci:, download only)" 0 "set_aside '$WORK/pull/skopeo'" \
        skopeo copy --quiet --src-tls-verify=false "docker://$PULL_IMAGE" "oci:$WORK/pull/skopeo:1"
    cleanup_40_pull
}
