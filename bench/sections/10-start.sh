# Start-to-exit of a `true` container: the unshare+chroot floor, crun, runc, podman, and ours (a warm pwsh
# session running Invoke-ContainerImage -Remove, and the core start path alone in a warm .NET process).
# Ours and podman run with no network, as crun and runc do with their bundle.

cleanup_10_start() {
    crun delete -f bench-crun >/dev/null 2>&1 || true
    runc delete -f bench-runc >/dev/null 2>&1 || true
}

run_10_start() {
    local group="start-to-exit of true (busybox root)"
    measure "$group" "floor: unshare+chroot" 1 \
        unshare --fork --pid --mount --uts --ipc --net chroot "$ROOTFS" /bin/true
    measure "$group" "crun run" 0 crun --root "$WORK/crun-state" run --bundle "$BUNDLE" bench-crun
    measure "$group" "runc run" 0 runc --root "$WORK/runc-state" run --bundle "$BUNDLE" bench-runc
    measure "$group" "podman run --rm" 0 "${PODMAN[@]}" run --rm --network none localhost/bench-busybox:latest /bin/true

    measure_self "$group" "ours: Invoke-ContainerImage (warm pwsh)" 0 \
        "Invoke-ContainerImage busybox -Remove -Network none -- /bin/true (bench/warm-start.ps1)" \
        warm_start
    rm -f "$WORK/corestart-steps"
    measure_self "$group" "ours: core start path" 0 "create+start+wait+remove in a warm process (bench/CoreStart)" \
        dotnet "$CORESTART/CoreStart.dll" "$MODULE/ctmon" busybox "$RUNS" "$WARMUP" "$WORK/corestart-steps"
    [ -s "$WORK/corestart-steps" ] && note "$group" "Where the core start path's time goes (median of each step): $(cat "$WORK/corestart-steps")."
}
