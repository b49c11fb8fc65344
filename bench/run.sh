#!/usr/bin/env bash
# Every benchmark against the peers, on the same inputs, in one run; writes bench/RESULTS.md.
# Usage: bench/run.sh [--quick] [NN-name...]   (through ./build.sh bench, which installs the peers and builds;
# naming sections runs only those, while working on them: RESULTS.md then holds only their rows)
# Each bench/sections/NN-name.sh defines run_NN_name (its rows) and may define cleanup_NN_name (what it started);
# they run in file-name order. Everything lives under bench/work (our stores, podman's, bundles), and the
# cleanup at exit (also after a failure) leaves no process, mount, container, bridge or cgroup behind.
set -euo pipefail
BENCH=$(dirname "$(readlink -f "$0")")
REPO=$(dirname "$BENCH")
MODULE=${CONTAINERTOOLS_MODULE:-$REPO/out/ContainerTools}
# RUNS/WARMUP: repetitions of a row; SLOW_RUNS/SLOW_WARMUP: of a row whose job takes seconds (pull, import,
# build). Quick mode is a sanity check: every row, fewer repetitions, marked quick in RESULTS.md.
QUICK=""; RUNS=30; WARMUP=3; SLOW_RUNS=5; SLOW_WARMUP=1
[ "${1:-}" = "--quick" ] && { QUICK=1; RUNS=3; WARMUP=1; SLOW_RUNS=1; SLOW_WARMUP=0; shift; }
RUN_START=$(date +%s)
WORK=$BENCH/work
export CONTAINERTOOLS_ROOT=$WORK/store CONTAINERTOOLS_RUNROOT=$WORK/store-run CONTAINERTOOLS_MODULE=$MODULE
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

source "$BENCH/lib.sh"
source "$BENCH/fixtures.sh"
SECTIONS=("$BENCH"/sections/*.sh)
[ $# -gt 0 ] && SECTIONS=("${@/#/$BENCH/sections/}") && SECTIONS=("${SECTIONS[@]/%/.sh}")
for section in "${SECTIONS[@]}"; do source "$section"; done
section_name() { local name; name=$(basename "$1" .sh); echo "${name//-/_}"; }

cleanup() {
    set +e
    for section in "${SECTIONS[@]}"; do
        declare -F "cleanup_$(section_name "$section")" >/dev/null && "cleanup_$(section_name "$section")"
    done
    remove_stores "$WORK"
    unmount_below "$WORK"
    rm -rf "$WORK/set-aside"
    remove_host_traces
}
trap 'cleanup; echo "bench: $(( $(date +%s) - RUN_START )) s in all" >&2' EXIT

unmount_below "$WORK"
rm -rf "$WORK"
mkdir -p "$WORK"
volatile "$CONTAINERTOOLS_RUNROOT" "$WORK/crun-state" "$WORK/runc-state" "$WORK/ctrun-state" "$PODMAN_ROOT/run"
: >"$ROWS_FILE"; : >"$NOTES_FILE"
save_host_traces
prepare_fixtures
VERSIONS=$(versions)
echo "== fixtures ready after $(( $(date +%s) - RUN_START )) s" >&2

# RESULTS.md is rewritten after every section, so a run stopped part-way still shows what it measured.
SECTIONS_DONE=()
for section in "${SECTIONS[@]}"; do
    echo "== $(basename "$section" .sh)" >&2
    section_start=$(date +%s)
    "run_$(section_name "$section")"
    SECTIONS_DONE+=("$(basename "$section" .sh)")
    echo "   $(basename "$section" .sh) took $(( $(date +%s) - section_start )) s" >&2
    write_results
done
