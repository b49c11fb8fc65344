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
    measure "$group" "podman run --rm" 0 \
        env CONTAINERS_CONF="$PODMAN_ROOT/containers.conf" CONTAINERS_REGISTRIES_CONF="$PODMAN_ROOT/registries.conf" \
        podman --root "$PODMAN_ROOT/root" --runroot "$PODMAN_ROOT/run" --storage-driver overlay \
        run --rm --network none localhost/bench-busybox:latest /bin/true

    local line
    line=$(CONTAINERTOOLS_MODULE=$MODULE pwsh -NoProfile -NonInteractive -File "$BENCH/warm-start.ps1" busybox "$RUNS" "$WARMUP")
    record "$group" "ours: Invoke-ContainerImage (warm pwsh)" "Invoke-ContainerImage busybox -Remove -Network none -- /bin/true (bench/warm-start.ps1)" \
        ${line% *} ${line#* } ms 0
    line=$(dotnet "$WORK/corestart/CoreStart.dll" "$MODULE/ctmon" busybox "$RUNS" "$WARMUP")
    record "$group" "ours: core start path" "create+start+wait+remove in a warm process (bench/CoreStart)" ${line% *} ${line#* } ms 0
}
