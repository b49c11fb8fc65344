# The inputs every tool gets in one bench run: a busybox root file system, an OCI bundle of it for crun and
# runc, a podman store of its own with the same image, and the quirks of this machine handled.

ROOTFS=$WORK/rootfs
BUNDLE=$WORK/bundle
PODMAN_ROOT=$WORK/podman

podman_() {
    CONTAINERS_CONF=$PODMAN_ROOT/containers.conf CONTAINERS_REGISTRIES_CONF=$PODMAN_ROOT/registries.conf \
        podman --root "$PODMAN_ROOT/root" --runroot "$PODMAN_ROOT/run" --storage-driver overlay "$@"
}

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
    dotnet build "$BENCH/CoreStart/CoreStart.csproj" -c Release -o "$WORK/corestart" --nologo -v q >/dev/null
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
    v+=("pwsh $(pwsh -NoProfile -c '$PSVersionTable.PSVersion.ToString()' 2>/dev/null || echo none)")
    v+=("dotnet $(dotnet --version)")
    local IFS=', '; echo "${v[*]}"
}
