# Into a running container: exec latency (`true` in a running busybox container) and copying a 100 MB tree
# (100 files of 1 MiB in 10 directories) into it. Ours from a warm pwsh session (bench/warm.ps1), so
# pwsh's start-up does not count; podman exec and podman cp as the peers (each a fresh podman process, as
# a user runs them). Each copy overwrites the same /tmp/tree in the container.

cleanup_60_exec() {
    "${PODMAN[@]}" rm -f -t 0 bench-exec >/dev/null 2>&1 || true
    CONTAINERTOOLS_MODULE=$MODULE pwsh -NoProfile -NonInteractive -c \
        "Import-Module \$env:CONTAINERTOOLS_MODULE/ContainerTools.psd1; Remove-Container bench-exec -Force -ErrorAction SilentlyContinue" >/dev/null 2>&1 || true
}

run_60_exec() {
    local tree=$WORK/exec/tree d f
    for d in $(seq 1 10); do
        mkdir -p "$tree/d$d"
        for f in $(seq 1 10); do head -c 1048576 /dev/urandom >"$tree/d$d/f$f"; done
    done

    "${PODMAN[@]}" run -d --name bench-exec --network none localhost/bench-busybox:latest sleep 3600 >/dev/null
    CONTAINERTOOLS_MODULE=$MODULE pwsh -NoProfile -NonInteractive -c \
        "Import-Module \$env:CONTAINERTOOLS_MODULE/ContainerTools.psd1; New-Container busybox -Name bench-exec -Network none -Pull Never -Start -- sleep 3600 | Out-Null"

    local group="exec latency: true in a running container"
    measure "$group" "podman exec" 1 "${PODMAN[@]}" exec bench-exec true
    measure_self "$group" "ours: Invoke-ContainerCommand (warm pwsh)" 0 "Invoke-ContainerCommand bench-exec true" \
        warm_pwsh -Command "Invoke-ContainerCommand bench-exec true; if (\$LASTEXITCODE -ne 0) { throw \"exit code \$LASTEXITCODE\" }"

    group="copy a 100 MB tree into a running container"
    measure "$group" "podman cp" 1 "${PODMAN[@]}" cp "$tree" bench-exec:/tmp/
    measure_self "$group" "ours: Copy-ContainerItem (warm pwsh)" 0 "Copy-ContainerItem $tree bench-exec:/tmp/" \
        warm_pwsh -Command "Copy-ContainerItem -Path '$tree' -Destination 'bench-exec:/tmp/'"
    cleanup_60_exec
}
