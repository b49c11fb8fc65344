# Building one multi-stage Dockerfile (two stages, COPY of a few files, three RUN steps, COPY --from) on the
# busybox image: a cold build (no build cache used) and a no-change rebuild (every step from the cache), ours
# (Build-ContainerImage from a warm pwsh) beside `buildah bud --layers` in the bench podman storage. RUN
# steps use each tool's default network.

BUILD_CONTEXT=$WORK/build/context

prepare_build() {
    mkdir -p "$BUILD_CONTEXT/src"
    local i
    for i in 1 2 3 4; do head -c 262144 /dev/urandom >"$BUILD_CONTEXT/src/data$i.bin"; done
    echo "name=bench" >"$BUILD_CONTEXT/app.conf"
    cat >"$BUILD_CONTEXT/Dockerfile" <<'DOCKERFILE'
ARG BASE=busybox
FROM $BASE AS builder
COPY src /src
RUN mkdir -p /out && cat /src/*.bin > /out/all.bin && echo built > /out/stamp
RUN sha256sum /out/all.bin > /out/SUMS
FROM $BASE
COPY --from=builder /out /app
COPY app.conf /etc/app.conf
RUN test -s /app/SUMS && echo ok > /app/ready
CMD ["cat", "/app/ready"]
DOCKERFILE
}

run_80_build() {
    prepare_build
    local build_ours="Build-ContainerImage -Path '$BUILD_CONTEXT' -Tag bench-build:latest"
    local buildah=("${BUILDAH[@]}" bud --quiet --layers --build-arg BASE=localhost/bench-busybox:latest -t bench-build:latest)
    local group="build a multi-stage Dockerfile, cold (no cache)"
    RUNS=$SLOW_RUNS WARMUP=$SLOW_WARMUP measure_self "$group" "ours: Build-ContainerImage -NoCache (warm pwsh)" 0 \
        "$build_ours -NoCache" warm_pwsh -Command "$build_ours -NoCache | Out-Null"
    RUNS=$SLOW_RUNS WARMUP=$SLOW_WARMUP measure "$group" "buildah bud --no-cache" 1 "${buildah[@]}" --no-cache "$BUILD_CONTEXT"
    group="rebuild the same Dockerfile, no change (every step cached)"
    RUNS=$SLOW_RUNS WARMUP=$SLOW_WARMUP measure_self "$group" "ours: Build-ContainerImage (warm pwsh)" 0 \
        "$build_ours" warm_pwsh -Command "$build_ours | Out-Null"
    RUNS=$SLOW_RUNS WARMUP=$SLOW_WARMUP measure "$group" "buildah bud" 1 "${buildah[@]}" "$BUILD_CONTEXT"
}
