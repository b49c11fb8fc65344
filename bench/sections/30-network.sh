# What networking adds to start-to-exit of `true`: the default bridge network against none, ours from a warm
# pwsh (the store's default network, CNI bridge + host-local + firewall plugins) beside `podman run --rm`
# (its default network, netavark). The note under the table says what the network adds to each.

run_30_network() {
    local group="start-to-exit of true on the default network vs none"
    local ours="ours: Invoke-ContainerImage (warm pwsh)" podman="podman run --rm"
    measure_self "$group" "$ours, no network" 0 "Invoke-ContainerImage busybox -Remove -Network none -- /bin/true" \
        warm_start
    measure_self "$group" "$ours, default network" 0 "Invoke-ContainerImage busybox -Remove -- /bin/true" \
        warm_start -Network bridge
    measure "$group" "$podman, no network" 0 "${PODMAN[@]}" run --rm --network none localhost/bench-busybox:latest /bin/true
    measure "$group" "$podman, default network" 1 "${PODMAN[@]}" run --rm localhost/bench-busybox:latest /bin/true
    note_difference "$group" "The default network adds to ours" "$ours, default network" "$ours, no network"
    note_difference "$group" "The default network adds to podman" "$podman, default network" "$podman, no network"
}
