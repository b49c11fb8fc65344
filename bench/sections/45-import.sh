# Import of the Debian minbase image from an OCI archive (bench/fixtures.sh prepare_debian) into an
# empty store: ours (Import-ContainerImage in a warm pwsh: reads the archive, verifies and unpacks the layer)
# beside `umoci unpack` (unpacks the layer of the same image from its OCI layout) and `skopeo copy
# oci-archive: containers-storage:` (podman's store: verifies and unpacks). The archive is read once before,
# so all three start with it in the page cache. Each run starts empty; what earlier runs made stays until the
# bench ends (see set_aside).

run_45_import() {
    prepare_debian
    local group
    group="import $(( $(stat -c %s "$DEBIAN_ARCHIVE") / 1000000 )) MB Debian minbase from an OCI archive into an empty store"
    cat "$DEBIAN_ARCHIVE" >/dev/null
    local store=$WORK/import/ours
    RUNS=$SLOW_RUNS WARMUP=$SLOW_WARMUP measure_self "$group" "ours: Import-ContainerImage (warm pwsh)" 0 \
        "Import-ContainerImage -Path $DEBIAN_ARCHIVE -Name debian:bench" warm_pwsh \
        -Before "\$ContainerToolsRoot = '$store/' + [guid]::NewGuid(); \$ContainerToolsRunRoot = \$ContainerToolsRoot + '-run'; sync" \
        -Command "Import-ContainerImage -Path '$DEBIAN_ARCHIVE' -Name debian:bench | Out-Null"
    RUNS=$SLOW_RUNS measure_cold "$group" "umoci unpack" 1 "set_aside '$WORK/import/umoci'" \
        umoci unpack --image "$DEBIAN_LAYOUT:1" "$WORK/import/umoci"
    RUNS=$SLOW_RUNS measure_cold "$group" "skopeo copy (to containers-storage:)" 0 \
        "unmount_below '$WORK/import/storage'; set_aside '$WORK/import/storage'" \
        skopeo copy --quiet "oci-archive:$DEBIAN_ARCHIVE" \
        "containers-storage:[overlay@$WORK/import/storage/root+$WORK/import/storage/run]localhost/debian:bench"
    unmount_below "$WORK/import"
    set_aside "$WORK/import"
}
