# Start-to-exit of a `true` container: the unshare+chroot floor, crun, runc, podman, and ours.

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
}
