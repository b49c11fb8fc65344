# The inputs every tool gets in one bench run: a busybox root file system, an OCI bundle of it for crun and
# runc, a podman store of its own with the same image, the Debian minbase image, and the quirks of this
# machine handled. What does not change between runs (the Debian image in its three forms, the CoreStart
# program) is kept in bench/work-cache, each piece made whole under a temporary name and then renamed, so a
# run stopped part-way never leaves a half-made piece that a later run would trust.

ROOTFS=$WORK/rootfs
BUNDLE=$WORK/bundle
PODMAN_ROOT=$WORK/podman
CACHE=$BENCH/work-cache

# podman and buildah on the bench store, as commands for hyperfine: "${PODMAN[@]}" run ...
PODMAN_ENV=(env CONTAINERS_CONF="$PODMAN_ROOT/containers.conf" CONTAINERS_REGISTRIES_CONF="$PODMAN_ROOT/registries.conf")
PODMAN_STORE=(--root "$PODMAN_ROOT/root" --runroot "$PODMAN_ROOT/run" --storage-driver overlay)
PODMAN=("${PODMAN_ENV[@]}" podman "${PODMAN_STORE[@]}")
BUILDAH=("${PODMAN_ENV[@]}" buildah "${PODMAN_STORE[@]}")
podman_() { "${PODMAN[@]}" "$@"; }

prepare_fixtures() {
    "$REPO/tests/fixtures/busybox-rootfs.sh" "$ROOTFS" "$WORK/busybox.tar.gz"

    # crun refuses a hybrid cgroup set-up while cgroup2 owns hugetlb: give hugetlb a v1 hierarchy.
    if [ ! -e /sys/fs/cgroup/hugetlb/tasks ] && grep -qw hugetlb /proc/cgroups; then
        mkdir -p /sys/fs/cgroup/hugetlb
        mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb 2>/dev/null || echo "note: hugetlb v1 mount failed" >&2
    fi

    mkdir -p "$BUNDLE"
    cp -a "$ROOTFS" "$BUNDLE/rootfs"
    (cd "$BUNDLE" && runc spec)
    jq '.process.terminal = false | .process.args = ["/bin/true"] | .root.readonly = false' \
        "$BUNDLE/config.json" >"$BUNDLE/config.json.new" && mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"

    # podman: its own store; ulimits this machine allows (no CAP_SYS_RESOURCE, hard nofile 20000).
    mkdir -p "$PODMAN_ROOT"
    cat >"$PODMAN_ROOT/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[network]
network_config_dir = "$PODMAN_ROOT/networks"
[engine]
tmp_dir = "$PODMAN_ROOT/tmp"
CONF
    cat >"$PODMAN_ROOT/registries.conf" <<CONF
unqualified-search-registries = []
[[registry]]
location = "127.0.0.1"
insecure = true
CONF
    podman_ import --quiet "$WORK/busybox.tar.gz" localhost/bench-busybox:latest >/dev/null

    # Ours: the same tarball in the bench store, and the core-only timing program.
    CONTAINERTOOLS_MODULE=$MODULE pwsh -NoProfile -NonInteractive -c \
        "Import-Module \$env:CONTAINERTOOLS_MODULE/ContainerTools.psd1; Import-ContainerImage -Path '$WORK/busybox.tar.gz' -Name busybox:latest | Out-Null"
    prepare_corestart
}

# prepare_corestart: bench/CoreStart published into $CORESTART, once per hash of its sources and the core's (the
# build compiles the core again, which takes longer than most sections); older builds are removed. ReadyToRun,
# as the module ships the core.
prepare_corestart() {
    local hash
    hash=$(cd "$REPO" && find bench/CoreStart src/ContainerTools.Core Directory.Build.props -type f \
        -not -path '*/bin/*' -not -path '*/obj/*' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
    CORESTART=$CACHE/corestart-$hash
    [ -f "$CORESTART/CoreStart.dll" ] && return 0
    rm -rf "$CACHE"/corestart-*
    dotnet publish "$BENCH/CoreStart/CoreStart.csproj" -c Release -r linux-x64 --no-self-contained -p:PublishReadyToRun=true \
        -o "$CORESTART.new" --nologo -v q >/dev/null
    mv "$CORESTART.new" "$CORESTART"
}

# prepare_debian: the Debian minbase root (debootstrap) as a one-layer OCI layout $DEBIAN_LAYOUT:1
# (umoci) and as an OCI archive $DEBIAN_ARCHIVE, for pull and import; all cached (the tools only read them).
DEBIAN_LAYOUT=$CACHE/debian/oci
DEBIAN_ARCHIVE=$CACHE/debian/oci.tar
prepare_debian() {
    [ -f "$DEBIAN_ARCHIVE" ] && return 0
    local rootfs=$CACHE/debian-minbase new=$CACHE/debian.new
    if [ ! -x "$rootfs/bin/bash" ]; then
        rm -rf "$rootfs.new"
        mkdir -p "$CACHE"
        debootstrap --variant=minbase bookworm "$rootfs.new" http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1
        rm -f "$rootfs.new/var/cache/apt/archives/"*.deb   # the downloaded packages are not part of the image
        mv "$rootfs.new" "$rootfs"
    fi
    rm -rf "$new" && mkdir -p "$new"
    umoci init --layout "$new/oci"
    umoci new --image "$new/oci:1"
    umoci unpack --image "$new/oci:1" "$new/bundle" >/dev/null
    rm -rf "$new/bundle/rootfs" && cp -a "$rootfs" "$new/bundle/rootfs"
    umoci repack --image "$new/oci:1" "$new/bundle"
    rm -rf "$new/bundle"
    tar -C "$new/oci" -cf "$new/oci.tar" .
    rm -rf "$CACHE/debian" && mv "$new" "$CACHE/debian"
}

# The engines leave host-wide traces that no --root moves: podman (netavark, cgroupfs) its IPAM state under
# /run/containers/networks, NETAVARK iptables chains and libpod_parent cgroups (its conmon group); ours and
# ctrun the shared cgroup parents they keep between containers (containertools, ctrun). Whatever was not
# there before the run is removed after it.
HOST_TRACES=$WORK/host-traces
SHARED_CGROUPS=(libpod_parent containertools ctrun)
netavark_chains() {
    local table
    for table in filter nat; do iptables-save -t "$table" | sed -n "s/^:\(NETAVARK[^ ]*\).*/$table \1/p"; done
}
save_host_traces() {
    { [ -e /run/containers ] && echo /run/containers; [ -e /run/containers/networks ] && echo /run/containers/networks
      local name; for name in "${SHARED_CGROUPS[@]}"; do ls -d /sys/fs/cgroup/*/"$name" 2>/dev/null; done
      netavark_chains; } >"$HOST_TRACES" || true
}
remove_host_traces() {
    [ -f "$HOST_TRACES" ] || return 0
    local new table chain rule
    new=$(netavark_chains | grep -vxF -f "$HOST_TRACES" || true)
    # The rules that jump to a new chain (from any chain), then the new chains themselves.
    while read -r table chain; do
        [ -n "$chain" ] || continue
        iptables-save -t "$table" | grep -- "^-A .* -j $chain\( \|\$\)" | sed 's/^-A /-D /' |
            while read -r rule; do eval "iptables -w -t $table $rule"; done
    done <<<"$new"
    while read -r table chain; do
        [ -n "$chain" ] && { iptables -w -t "$table" -F "$chain"; iptables -w -t "$table" -X "$chain"; }
    done <<<"$new"
    local name group
    for name in "${SHARED_CGROUPS[@]}"; do
        for group in /sys/fs/cgroup/*/"$name"; do
            [ -d "$group" ] && ! grep -qx "$group" "$HOST_TRACES" && find "$group" -depth -type d -exec rmdir {} + 2>/dev/null
        done
    done
    grep -qx /run/containers/networks "$HOST_TRACES" || rm -rf /run/containers/networks
    grep -qx /run/containers "$HOST_TRACES" || rmdir /run/containers 2>/dev/null || true
    rm -f "$HOST_TRACES"
}

versions() {
    local v=()
    v+=("crun $(crun --version | head -1 | awk '{print $NF}')")
    v+=("runc $(runc --version | head -1 | awk '{print $NF}')")
    v+=("podman $(podman --version | awk '{print $NF}')")
    command -v skopeo >/dev/null && v+=("skopeo $(skopeo --version | awk '{print $NF}')")
    command -v umoci >/dev/null && v+=("umoci $(umoci --version | awk '{print $NF}')")
    command -v buildah >/dev/null && v+=("buildah $(buildah --version | awk '{print $3}')")
    v+=("ContainerTools $(grep -oP "ModuleVersion\s*=\s*'\K[^']+" "$MODULE/ContainerTools.psd1")")
    v+=("pwsh $(pwsh --version 2>/dev/null | awk '{print $NF}' || echo none)")
    v+=("dotnet $(dotnet --version)")
    local joined; joined=$(printf '%s, ' "${v[@]}"); echo "${joined%, }"
}
