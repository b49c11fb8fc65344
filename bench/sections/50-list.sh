# Listing containers: Get-Container rendered as its table (Out-String, from a warm pwsh) beside `podman ps -a`
# with 0, 100 and 1000 containers created (not started) in a store of their own each (ours: New-Container
# in one pwsh; podman: podman create in a throwaway --root/--runroot). Ours also from a new pwsh, start-up
# and module import included, as a user typing it in a shell would see it. Quick mode lists 0 and 20.

LIST_STORE=$WORK/list/store
LIST_PODMAN=$WORK/list/podman

cleanup_50_list() {
    [ -d "$LIST_PODMAN" ] && "${PODMAN_ENV[@]}" podman --root "$LIST_PODMAN/root" --runroot "$LIST_PODMAN/run" \
        --storage-driver overlay rm --all --force --time 0 >/dev/null 2>&1
    unmount_below "$WORK/list"
    rm -rf "$WORK/list"
}

run_50_list() {
    local counts; counts=$([ -n "$QUICK" ] && echo "0 20" || echo "0 100 1000")
    local list_podman=("${PODMAN_ENV[@]}" podman --root "$LIST_PODMAN/root" --runroot "$LIST_PODMAN/run" --storage-driver overlay)
    mkdir -p "$WORK/list"
    pwsh -NoProfile -NonInteractive -Command "Import-Module '$MODULE/ContainerTools.psd1'
        \$ContainerToolsRoot = '$LIST_STORE'; \$ContainerToolsRunRoot = '$LIST_STORE-run'
        Import-ContainerImage -Path '$WORK/busybox.tar.gz' -Name busybox:latest | Out-Null"
    "${list_podman[@]}" import --quiet "$WORK/busybox.tar.gz" localhost/bench-busybox:latest >/dev/null
    local count made=0 group
    for count in $counts; do
        group="list $count containers (created, not started)"
        # Both stores grow to COUNT containers, then each lister runs on them.
        pwsh -NoProfile -NonInteractive -Command "Import-Module '$MODULE/ContainerTools.psd1'
            \$ContainerToolsRoot = '$LIST_STORE'; \$ContainerToolsRunRoot = '$LIST_STORE-run'
            \$ErrorActionPreference = 'Stop'
            if ($count -gt $made) {
                foreach (\$i in ($made + 1)..$count) { New-Container busybox -Network none -Pull Never -Name list-\$i -- /bin/true | Out-Null }
            }"
        seq $((made + 1)) "$count" | xargs -r -P 2 -I{} "${list_podman[@]}" create --quiet --network none --name list-{} \
            localhost/bench-busybox:latest /bin/true >/dev/null
        made=$count
        measure_self "$group" "ours: Get-Container (warm pwsh)" 0 "Get-Container | Out-String" \
            warm_pwsh \
            -Setup "\$ContainerToolsRoot = '$LIST_STORE'; \$ContainerToolsRunRoot = '$LIST_STORE-run'
                    if (@(Get-Container).Count -ne $count) { throw 'the store does not hold $count containers' }" \
            -Command "Get-Container | Out-String | Out-Null"
        # The same from a new pwsh each time (pwsh's start-up and the module import included), fewer runs.
        RUNS=$(( RUNS < 5 ? RUNS : 5 )) WARMUP=1 measure "$group" "ours: Get-Container (new pwsh)" 0 \
            env CONTAINERTOOLS_ROOT="$LIST_STORE" CONTAINERTOOLS_RUNROOT="$LIST_STORE-run" \
            pwsh -NoProfile -NonInteractive -Command "Import-Module '$MODULE/ContainerTools.psd1'; Get-Container | Out-String | Out-Null"
        measure "$group" "podman ps -a" 1 "${list_podman[@]}" ps -a
    done
    cleanup_50_list
}
