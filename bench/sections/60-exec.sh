# Into a running container: exec latency (`true` in a running busybox container) and copying a 100 MB tree
# (100 files of 1 MiB in 10 directories) into it. Ours from a warm pwsh session (bench/warm-exec.ps1), so
# pwsh's start-up does not count; podman exec and podman cp as the peers (each a fresh podman process, as
# a user runs them). Each copy overwrites the same /tmp/tree in the container.

EXEC_PODMAN=(env CONTAINERS_CONF="$PODMAN_ROOT/containers.conf" CONTAINERS_REGISTRIES_CONF="$PODMAN_ROOT/registries.conf"
    podman --root "$PODMAN_ROOT/root" --runroot "$PODMAN_ROOT/run" --storage-driver overlay)

cleanup_60_exec() {
    "${EXEC_PODMAN[@]}" rm -f -t 0 bench-exec >/dev/null 2>&1 || true
    CONTAINERTOOLS_MODULE=$MODULE pwsh -NoProfile -NonInteractive -c \
        "Import-Module \$env:CONTAINERTOOLS_MODULE/ContainerTools.psd1; Remove-Container bench-exec -Force -ErrorAction SilentlyContinue" >/dev/null 2>&1 || true
}

run_60_exec() {
    local tree=$WORK/exec/tree d f
    for d in $(seq 1 10); do
        mkdir -p "$tree/d$d"
        for f in $(seq 1 10); do head -c 1048576 /dev/urandom >"$tree/d$d/f$f"; done
    done

    "${EXEC_PODMAN[@]}" run -d --name bench-exec --network none localhost/bench-busybox:latest sleep 3600 >/dev/null
    CONTAINERTOOLS_MODULE=$MODULE pwsh -NoProfile -NonInteractive -c \
        "Import-Module \$env:CONTAINERTOOLS_MODULE/ContainerTools.psd1; New-Container busybox -Name bench-exec -Network none -Pull Never -Start -- sleep 3600 | Out-Null"

    local ours
    ours=$(CONTAINERTOOLS_MODULE=$MODULE pwsh -NoProfile -NonInteractive -File "$BENCH/warm-exec.ps1" bench-exec "$tree" "$RUNS" "$WARMUP")
    local exec_line=${ours%%$'\n'*} copy_line=${ours##*$'\n'}

    local group="exec latency: true in a running container"
    measure "$group" "podman exec" 1 "${EXEC_PODMAN[@]}" exec bench-exec true
    record "$group" "ours: Invoke-ContainerCommand (warm pwsh)" "Invoke-ContainerCommand bench-exec true (bench/warm-exec.ps1)" \
        ${exec_line% *} ${exec_line#* } ms 0

    group="copy a 100 MB tree into a running container"
    measure "$group" "podman cp" 1 "${EXEC_PODMAN[@]}" cp "$tree" bench-exec:/tmp/
    record "$group" "ours: Copy-ContainerItem (warm pwsh)" "Copy-ContainerItem tree bench-exec:/tmp/ (bench/warm-exec.ps1)" \
        ${copy_line% *} ${copy_line#* } ms 0
    cleanup_60_exec
}
