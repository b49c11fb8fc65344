# ctrun, the OCI runtime front end: `run` start-to-exit of `true` on the same bundle as crun and runc, and
# podman driving ctrun beside podman driving crun (same throwaway podman store, no network).

cleanup_15_ctrun() {
    "$MODULE/ctrun" --root "$WORK/ctrun-state" delete -f bench-ctrun >/dev/null 2>&1 || true
}

run_15_ctrun() {
    local group="OCI runtime: run of true (busybox bundle)"
    measure "$group" "crun run" 0 crun --root "$WORK/crun-state" run --bundle "$BUNDLE" bench-crun
    measure "$group" "runc run" 0 runc --root "$WORK/runc-state" run --bundle "$BUNDLE" bench-runc
    measure "$group" "ours: ctrun run" 0 "$MODULE/ctrun" --root "$WORK/ctrun-state" run --bundle "$BUNDLE" bench-ctrun

    group="podman run --rm of true, by runtime"
    measure "$group" "podman --runtime crun" 0 "${PODMAN[@]}" --runtime /usr/bin/crun \
        run --rm --network none localhost/bench-busybox:latest /bin/true
    measure "$group" "podman --runtime ctrun" 0 "${PODMAN[@]}" --runtime "$MODULE/ctrun" \
        run --rm --network none localhost/bench-busybox:latest /bin/true
}
