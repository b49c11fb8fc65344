# Pulling a ~100 MB Debian minbase image (debootstrap, one layer) from Debian's docker-registry on 127.0.0.1 into
# an empty store: ours (Request-ContainerImage in a warm pwsh session, so pwsh's start-up does not count; it
# also unpacks the layer), `skopeo copy` to an OCI layout (download and verify only) and `podman pull` into an
# empty podman store (download, verify, unpack). Each run starts empty; the MB/s figure is the compressed
# bytes moved over the median time. The debootstrap root is cached in bench/work-cache/ between bench runs.

PULL_CACHE=$BENCH/work-cache
PULL_REGISTRY_PID=""

cleanup_40_pull() {
    [ -n "$PULL_REGISTRY_PID" ] && kill "$PULL_REGISTRY_PID" 2>/dev/null || true
}

# prepare_pull: the Debian image as an OCI layout (umoci), pushed by skopeo to a registry of our own.
prepare_pull() {
    local rootfs=$PULL_CACHE/debian-minbase layout=$WORK/pull/debian-oci bundle=$WORK/pull/bundle
    mkdir -p "$PULL_CACHE" "$WORK/pull"
    if [ ! -x "$rootfs/bin/bash" ]; then
        rm -rf "$rootfs"
        debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$WORK/pull/debootstrap.log" 2>&1
    fi
    umoci init --layout "$layout"
    umoci new --image "$layout:1"
    umoci unpack --image "$layout:1" "$bundle" >/dev/null
    rm -rf "$bundle/rootfs" && cp -a "$rootfs" "$bundle/rootfs"
    umoci repack --image "$layout:1" "$bundle"
    rm -rf "$bundle"

    PULL_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    cat >"$WORK/pull/registry.yml" <<CONF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $WORK/pull/registry
http:
  addr: 127.0.0.1:$PULL_PORT
CONF
    docker-registry serve "$WORK/pull/registry.yml" 2>"$WORK/pull/registry.log" &
    PULL_REGISTRY_PID=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PULL_PORT/v2/" >/dev/null && break; sleep 0.1; done
    PULL_IMAGE=127.0.0.1:$PULL_PORT/bench/debian:1
    skopeo copy --quiet --dest-tls-verify=false "oci:$layout:1" "docker://$PULL_IMAGE"
    PULL_BYTES=$(skopeo inspect --raw --tls-verify=false "docker://$PULL_IMAGE" | jq '[.layers[].size] + [.config.size] | add')
}

# time_runs TOOL REFERENCE PREPARE COMMAND... : RUNS cold runs (PREPARE empties the target before each), ms.
time_runs() {
    local tool=$1 reference=$2 prepare=$3; shift 3
    local times=() start end
    for _ in $(seq "$PULL_RUNS"); do
        eval "$prepare"
        start=$(date +%s%N)
        "$@" >/dev/null 2>>"$WORK/pull/errors.log" || { echo "  $tool: FAILED (see $WORK/pull/errors.log)" >&2; return 0; }
        end=$(date +%s%N)
        times+=("$(( (end - start) / 1000 ))")
    done
    record_pull "$tool" "$reference" "$(quote "$@")" "${times[@]}"
}

# record_pull TOOL REFERENCE COMMAND MICROSECONDS... : a row in ms, with MB/s of the median in the tool column.
record_pull() {
    local tool=$1 reference=$2 command=$3; shift 3
    local sorted min median
    sorted=$(printf '%s\n' "$@" | sort -n)
    min=$(echo "$sorted" | head -1)
    median=$(echo "$sorted" | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')
    local rate
    rate=$(awk -v b="$PULL_BYTES" -v us="$median" 'BEGIN {printf "%.0f", b / us}')  # bytes per microsecond = MB/s
    record "$PULL_GROUP" "$tool ($rate MB/s)" "$command" "$(awk -v v="$min" 'BEGIN {print v / 1000}')" \
        "$(awk -v v="$median" 'BEGIN {print v / 1000}')" ms "$reference"
}

run_40_pull() {
    PULL_RUNS=$([ -n "$QUICK" ] && echo 1 || echo 5)
    prepare_pull
    PULL_GROUP="pull $(awk -v b="$PULL_BYTES" 'BEGIN {printf "%.0f", b / 1e6}') MB Debian minbase from a local registry into an empty store"
    local ours=$WORK/pull/ours
    # Ours in one warm pwsh: each run timed inside the session with a fresh store (the module is loaded once).
    local script
    script=$(cat <<PS
Import-Module '$MODULE/ContainerTools.psd1'
\$ContainerToolsAuthFile = '$WORK/pull/auth.json'
foreach (\$i in 0..$PULL_RUNS) {
    \$ContainerToolsRoot = "$ours/\$i"; \$ContainerToolsRunRoot = "$ours/\$i-run"
    \$watch = [Diagnostics.Stopwatch]::StartNew()
    \$null = Request-ContainerImage '$PULL_IMAGE' -ErrorAction Stop
    \$watch.Stop()
    if (\$i -gt 0) { [long](\$watch.Elapsed.TotalMilliseconds * 1000) }  # run 0 warms the JIT
    Remove-Item -Recurse -Force "$ours/\$i", "$ours/\$i-run" -ErrorAction Ignore
}
exit 0
PS
)
    local ours_times
    if ours_times=$(pwsh -NoProfile -NonInteractive -Command "$script" 2>>"$WORK/pull/errors.log"); then
        # shellcheck disable=SC2086
        record_pull "ours: Request-ContainerImage (warm pwsh)" 0 "Request-ContainerImage $PULL_IMAGE" $ours_times
    else
        echo "  ours: FAILED (see $WORK/pull/errors.log)" >&2
    fi
    time_runs "skopeo copy (to oci:)" 1 "rm -rf '$WORK/pull/skopeo'" \
        skopeo copy --quiet --src-tls-verify=false "docker://$PULL_IMAGE" "oci:$WORK/pull/skopeo:1"
    time_runs "podman pull" 0 "rm -rf '$WORK/pull/podman' '$WORK/pull/podman-run'" \
        env CONTAINERS_CONF="$PODMAN_ROOT/containers.conf" CONTAINERS_REGISTRIES_CONF="$PODMAN_ROOT/registries.conf" \
        podman --root "$WORK/pull/podman" --runroot "$WORK/pull/podman-run" --storage-driver overlay pull --quiet --tls-verify=false "$PULL_IMAGE"
    cleanup_40_pull
}
