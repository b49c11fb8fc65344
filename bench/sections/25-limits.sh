# The cost of applying limits at start: start-to-exit of `true` with no limits and with five (memory, cpus,
# pids, cpu-shares, blkio weight), ours from a warm pwsh beside `podman run --rm` with the same limits, no
# network for either. The note under the table says what the five limits add to each.

LIMITS_OURS=(-Memory 256MB -Cpus 1 -PidsLimit 100 -CpuShares 512 -BlkioWeight 500)
LIMITS_PODMAN=(--memory 256m --cpus 1 --pids-limit 100 --cpu-shares 512 --blkio-weight 500)

run_25_limits() {
    local group="start-to-exit of true with five limits (memory, cpus, pids, cpu-shares, blkio weight)"
    local ours="ours: Invoke-ContainerImage (warm pwsh)" podman="podman run --rm"
    measure_self "$group" "$ours, no limits" 0 "Invoke-ContainerImage busybox -Remove -Network none -- /bin/true" \
        warm_start
    measure_self "$group" "$ours, five limits" 0 \
        "Invoke-ContainerImage busybox -Remove -Network none ${LIMITS_OURS[*]} -- /bin/true" \
        warm_start "${LIMITS_OURS[@]}"
    measure "$group" "$podman, no limits" 0 "${PODMAN[@]}" run --rm --network none localhost/bench-busybox:latest /bin/true
    measure "$group" "$podman, five limits" 1 \
        "${PODMAN[@]}" run --rm --network none "${LIMITS_PODMAN[@]}" localhost/bench-busybox:latest /bin/true
    note_difference "$group" "Five limits add to ours" "$ours, five limits" "$ours, no limits"
    note_difference "$group" "Five limits add to podman" "$podman, five limits" "$podman, no limits"
    if [ ! -e /sys/fs/cgroup/blkio/blkio.weight ] && [ ! -e /sys/fs/cgroup/blkio/blkio.bfq.weight ]; then
        note "$group" "This kernel has no blkio weight file (no BFQ scheduler): podman warns and discards --blkio-weight."
    fi
}
