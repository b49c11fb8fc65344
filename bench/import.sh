#!/usr/bin/env bash
# Import of a ~100 MB Debian minbase image from an OCI archive: Import-ContainerImage against `umoci unpack`
# and `skopeo copy ... containers-storage:` on the same file, as ratios (lower is better for us).
#   bench/import.sh            (after ./build.sh build; RUNS=5 for more runs, BENCH_WORK to move the scratch dir)
# The rootfs comes from `debootstrap --variant=minbase bookworm` (needs the Debian mirror apt uses). When
# debootstrap cannot run (offline), it is made from host files instead (/usr/lib/x86_64-linux-gnu, /usr/bin,
# /usr/share/perl, ... up to about 100 MB) and the result line says so.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
REPO=$PWD
MODULE=${CONTAINERTOOLS_MODULE:-$REPO/out/ContainerTools}
WORK=${BENCH_WORK:-/tmp/ct-bench-import}
RUNS=${RUNS:-3}
PWSH=$(command -v pwsh || echo "$REPO/../shared/tools/pwsh/pwsh")
RESULTS=$REPO/bench/results/import.txt
mkdir -p "$WORK" "$(dirname "$RESULTS")"

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# 1. The root file system, once.
if [ ! -f "$WORK/rootfs.tar" ]; then
    if [ -f "$WORK/source" ]; then
        :   # a rootfs made by an earlier run
    elif rm -rf "$WORK/rootfs" && timeout 900 debootstrap --variant=minbase bookworm "$WORK/rootfs" http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1; then
        rm -f "$WORK/rootfs/var/cache/apt/archives/"*.deb   # the downloaded packages are not part of the image
        echo "debootstrap --variant=minbase bookworm" >"$WORK/source"
    else
        rm -rf "$WORK/rootfs"; mkdir -p "$WORK/rootfs/usr"
        for dir in /usr/bin /usr/sbin /usr/lib/x86_64-linux-gnu /usr/share/perl /usr/share/zoneinfo /etc; do
            [ "$(du -sm "$WORK/rootfs" | cut -f1)" -lt 100 ] || break
            mkdir -p "$WORK/rootfs$(dirname "$dir")"; cp -a "$dir" "$WORK/rootfs$dir" 2>/dev/null || true
        done
        echo "host files (debootstrap could not run offline; see $WORK/debootstrap.log)" >"$WORK/source"
    fi
    tar --numeric-owner -C "$WORK/rootfs" -cf "$WORK/rootfs.tar" .
fi
# 2. An OCI archive with that rootfs as one gzip layer, made with umoci (a fixture tool).
if [ ! -f "$WORK/debian-oci.tar" ]; then
    rm -rf "$WORK/layout"
    umoci init --layout "$WORK/layout"
    umoci new --image "$WORK/layout:debian"
    umoci raw add-layer --image "$WORK/layout:debian" "$WORK/rootfs.tar"
    tar -C "$WORK/layout" -cf "$WORK/debian-oci.tar" .
fi
SIZE_MB=$(( $(stat -c %s "$WORK/rootfs.tar") / 1000000 ))

# 3. Runs, each into an empty destination; the archive is in the page cache for all three (read once first).
# Wall time, and CPU time (user+sys with children, from /usr/bin/time): on a shared, loaded machine the CPU
# time is the steadier measure. Ours is measured in one pwsh session, CPU time minus pwsh's own start-up.
cat "$WORK/debian-oci.tar" >/dev/null
cpu() { /usr/bin/time -f '%U %S' -o "$WORK/cpu" "$@" >/dev/null; awk '{print $1 + $2}' "$WORK/cpu"; }
ours=() umoci=() skopeo=() ours_cpu=() umoci_cpu=() skopeo_cpu=()
pwsh_cpu=$(cpu "$PWSH" -NoProfile -NonInteractive -Command "Import-Module '$MODULE/ContainerTools.psd1'")
for run in $(seq "$RUNS"); do
    rm -rf "$WORK/ours" "$WORK/bundle" "$WORK/storage"
    # Ours: inside one pwsh session (how it is used), timed around the cmdlet only.
    ours+=("$("$PWSH" -NoProfile -NonInteractive -Command "
        Import-Module '$MODULE/ContainerTools.psd1'; \$ContainerToolsRoot = '$WORK/ours'
        \$t = [Diagnostics.Stopwatch]::StartNew(); Import-ContainerImage -Path '$WORK/debian-oci.tar' -Name debian:bench -ErrorAction Stop | Out-Null
        \$t.Elapsed.TotalSeconds")")
    start=$(now); umoci_cpu+=("$(cpu umoci unpack --image "$WORK/layout:debian" "$WORK/bundle")"); umoci+=("$(echo "$(now) - $start" | bc)")
    start=$(now)
    skopeo_cpu+=("$(cpu skopeo copy -q "oci-archive:$WORK/debian-oci.tar" "containers-storage:[overlay@$WORK/storage/root+$WORK/storage/run]localhost/debian:bench")")
    skopeo+=("$(echo "$(now) - $start" | bc)")
    umount -R "$WORK/storage/root/overlay" 2>/dev/null || true
    rm -rf "$WORK/ours"
    ours_cpu+=("$(echo "$(cpu "$PWSH" -NoProfile -NonInteractive -Command "Import-Module '$MODULE/ContainerTools.psd1'; \$ContainerToolsRoot = '$WORK/ours'; Import-ContainerImage -Path '$WORK/debian-oci.tar' -Name debian:bench -ErrorAction Stop") - $pwsh_cpu" | bc)")
done
o=$(printf '%s\n' "${ours[@]}" | median); u=$(printf '%s\n' "${umoci[@]}" | median); s=$(printf '%s\n' "${skopeo[@]}" | median)
oc=$(printf '%s\n' "${ours_cpu[@]}" | median); uc=$(printf '%s\n' "${umoci_cpu[@]}" | median); sc=$(printf '%s\n' "${skopeo_cpu[@]}" | median)
{
    echo "== import of a ${SIZE_MB} MB rootfs ($(cat "$WORK/source")) from an OCI archive, median of $RUNS runs, $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "Import-ContainerImage (in-session)                        ${o}s   runs: ${ours[*]}"
    echo "umoci unpack                                              ${u}s   runs: ${umoci[*]}"
    echo "skopeo copy oci-archive: containers-storage:[overlay@...] ${s}s   runs: ${skopeo[*]}"
    echo "ratio ours/umoci  wall $(echo "scale=2; $o / $u" | bc)   cpu $(echo "scale=2; $oc / $uc" | bc) (${oc}s / ${uc}s)"
    echo "ratio ours/skopeo wall $(echo "scale=2; $o / $s" | bc)   cpu $(echo "scale=2; $oc / $sc" | bc) (${oc}s / ${sc}s)"
} | tee -a "$RESULTS"
