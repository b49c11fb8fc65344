# Start-to-exit of a `true` container under Docker's default seccomp profile and unconfined: crun with the
# profile in its bundle (the Docker-format profile the distribution ships, reduced to the OCI form for the
# default capabilities, as Docker does before handing it to the runtime) and without, ours with its default
# filter and with -SecurityOption seccomp=unconfined (warm pwsh sessions).

SECCOMP_BUNDLE=$WORK/bundle-seccomp

cleanup_70_seccomp() {
    crun delete -f bench-crun-seccomp >/dev/null 2>&1 || true
}

# Docker's profile as the runtime sees it: rules for the default capabilities on x86-64, includes/excludes gone.
docker_default_seccomp() {
    jq --argjson caps '["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW","CAP_SETGID","CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT","CAP_KILL","CAP_AUDIT_WRITE"]' '
        {defaultAction, defaultErrnoRet, architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
         syscalls: [.syscalls[]
            | select(((.includes.caps // []) - $caps) == [])
            | select([(.excludes.caps // [])[] | select(. as $c | $caps | index($c))] == [])
            | select((.includes.arches // []) == [] or ((.includes.arches // []) | index("amd64")))
            | select((.excludes.arches // []) | index("amd64") | not)
            | {names, action} + (if .errnoRet then {errnoRet} else {} end) + (if .args then {args} else {} end)]}' \
        /usr/share/containers/seccomp.json
}

run_70_seccomp() {
    local group="start-to-exit of true, Docker's default seccomp profile vs unconfined"
    mkdir -p "$SECCOMP_BUNDLE"
    ln -sfn "$BUNDLE/rootfs" "$SECCOMP_BUNDLE/rootfs"
    jq --argjson seccomp "$(docker_default_seccomp)" '.linux.seccomp = $seccomp' "$BUNDLE/config.json" >"$SECCOMP_BUNDLE/config.json"

    measure "$group" "crun run (Docker's profile)" 1 crun --root "$WORK/crun-state" run --bundle "$SECCOMP_BUNDLE" bench-crun-seccomp
    measure "$group" "crun run (unconfined)" 0 crun --root "$WORK/crun-state" run --bundle "$BUNDLE" bench-crun-seccomp

    measure_self "$group" "ours: default filter (warm pwsh)" 0 "Invoke-ContainerImage busybox -Remove -Network none -- /bin/true" \
        warm_start
    measure_self "$group" "ours: seccomp=unconfined (warm pwsh)" 0 \
        "Invoke-ContainerImage busybox -Remove -Network none -SecurityOption seccomp=unconfined -- /bin/true" \
        warm_start -SecurityOption seccomp=unconfined
}
