#!/usr/bin/env bash
# Every benchmark against the peers, on the same inputs, in one run; writes bench/RESULTS.md.
# Usage: bench/run.sh [--quick]   (run through ./build.sh bench, which installs the peers and builds)
set -euo pipefail
BENCH=$(dirname "$(readlink -f "$0")")
REPO=$(dirname "$BENCH")
MODULE=${CONTAINERTOOLS_MODULE:-$REPO/out/ContainerTools}
QUICK=""; RUNS=30; WARMUP=3
[ "${1:-}" = "--quick" ] && { QUICK=1; RUNS=5; WARMUP=1; }
WORK=$BENCH/work
export CONTAINERTOOLS_ROOT=$WORK/store CONTAINERTOOLS_RUNROOT=$WORK/store-run

source "$BENCH/lib.sh"
source "$BENCH/fixtures.sh"
for section in "$BENCH"/sections/*.sh; do source "$section"; done

cleanup() {
    set +e
    for f in "$BENCH"/sections/*.sh; do
        name=$(basename "$f" .sh); declare -F "cleanup_${name//-/_}" >/dev/null && "cleanup_${name//-/_}"
    done
    unmount_below "$WORK"
}
trap cleanup EXIT

unmount_below "$WORK"
rm -rf "$WORK"
mkdir -p "$WORK"
: >"$ROWS_FILE"
prepare_fixtures
VERSIONS=$(versions)

for section in "$BENCH"/sections/*.sh; do
    echo "== $(basename "$section" .sh)" >&2
    name=$(basename "$section" .sh)
    "run_${name//-/_}"
done
write_results
