#!/usr/bin/env bash
# ContainerTools build driver: ./build.sh [prereqs|build|test|demo|bench|help|clean] [args]
# Needs no pwsh for build and the xunit tests; uses pwsh (PATH, else ../shared/tools) for Pester, help and the demo.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
REPO=$PWD
OUT=$REPO/out/ContainerTools
CONFIG=${CONFIG:-Release}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Debian packages the engine, its tests and its fixtures need (the peers are fixtures and yardsticks only).
APT_PACKAGES=(busybox-static skopeo umoci tar gzip zstd iptables libseccomp2 libisal2 containernetworking-plugins bubblewrap
              docker-registry apache2-utils openssl uidmap iproute2 util-linux procps tmux runc podman conmon)
BENCH_PACKAGES=(crun buildah debootstrap hyperfine jq)

log() { printf '\n== %s\n' "$*" >&2; }

apt_install() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]}"
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

prereqs() {
    apt_install "${APT_PACKAGES[@]}"
    command -v dotnet >/dev/null || { echo "dotnet SDK 10 is required (https://dot.net)" >&2; exit 1; }
}

# pwsh and Pester: from PATH / PSModulePath, else the copies beside the repository (../shared/tools), or beside
# the local repository this one was cloned from (a CI clone elsewhere, e.g. under /tmp).
shared_tools() {
    local origin
    origin=$(git -C "$REPO" remote get-url origin 2>/dev/null || true)
    for dir in "$REPO/../shared/tools" ${origin:+"$origin/../shared/tools"}; do
        [ -d "$dir/pwsh" ] && { readlink -f "$dir"; return; }
    done
    return 0  # none found is no failure: under set -e a false last test would end the script silently
}
SHARED_TOOLS=$(shared_tools)
if [ -n "$SHARED_TOOLS" ]; then
    export PATH="$PATH:$SHARED_TOOLS/pwsh"
    export PSModulePath="${PSModulePath:+$PSModulePath:}$SHARED_TOOLS/Modules"
fi
find_pwsh() { command -v pwsh || true; }

build() {
    log "building $OUT"
    rm -rf "$OUT"
    mkdir -p "$OUT"
    dotnet publish src/ContainerTools/ContainerTools.csproj -c "$CONFIG" -r linux-x64 --no-self-contained -o "$OUT" --nologo -v q
    dotnet publish src/ContainerTools.Monitor/ContainerTools.Monitor.csproj -c "$CONFIG" -o "$OUT/bin.ctmon" --nologo -v q
    mv "$OUT/bin.ctmon/ctmon" "$OUT/ctmon" && rm -rf "$OUT/bin.ctmon"
    dotnet publish src/ContainerTools.Ctrun/ContainerTools.Ctrun.csproj -c "$CONFIG" -o "$OUT/bin.ctrun" --nologo -v q
    mv "$OUT/bin.ctrun/ctrun" "$OUT/ctrun" && rm -rf "$OUT/bin.ctrun"
    rm -f "$OUT"/*.pdb "$OUT"/*.deps.json
    cp ContainerTools.psd1 "$OUT/"
    mkdir -p "$OUT/formats" "$OUT/en-US"
    cp formats/*.ps1xml "$OUT/formats/" 2>/dev/null || true
    cp en-US/* "$OUT/en-US/"
    make_default_image "$OUT/images/busybox.tar.gz"
    touch "$BUILT_STAMP"
}

# The embedded default image: a busybox-static root file system as a tarball that Import-ContainerImage
# reads like `docker import` (made with tar here: a fixture tool, not the engine).
make_default_image() {
    local rootfs; rootfs=$(mktemp -d)
    tests/fixtures/busybox-rootfs.sh "$rootfs" "$1"
    rm -rf "$rootfs"
}

# Sums one count attribute over the <assembly> elements of an xunit XML report.
xunit_total() {
    grep -o '<assembly [^>]*' "$2" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' | awk '{s += $1} END {print s + 0}'
}

run_xunit() {
    log "xunit"
    dotnet build tests/ContainerTools.Tests/ContainerTools.Tests.csproj -c "$CONFIG" --nologo -v q
    local results=$REPO/out/test-results
    mkdir -p "$results"
    rm -f "$results/xunit.xml"
    CONTAINERTOOLS_MODULE=$OUT dotnet "tests/ContainerTools.Tests/bin/$CONFIG/net10.0/ContainerTools.Tests.dll" \
        -result-xml "$results/xunit.xml" "$@" || true
    [ -f "$results/xunit.xml" ] || { echo "xunit wrote no results" >&2; XUNIT_COUNTS="0 1 0"; return; }
    local passed failed skipped errors
    passed=$(xunit_total passed "$results/xunit.xml")
    failed=$(xunit_total failed "$results/xunit.xml")
    skipped=$(xunit_total skipped "$results/xunit.xml")
    errors=$(xunit_total errors "$results/xunit.xml")
    XUNIT_COUNTS="$passed $((failed + errors)) $skipped"
}

# The failed xunit tests with the start of their messages, so the end of a long log (all CI keeps) says what broke.
list_xunit_failures() {
    local xml=$REPO/out/test-results/xunit.xml pwsh; pwsh=$(find_pwsh)
    [ -f "$xml" ] || return 0
    if [ -z "$pwsh" ]; then
        grep -o '<test [^>]*result="Fail"[^>]*>' "$xml" | grep -o ' name="[^"]*"' | sed 's/^ name="\(.*\)"$/FAILED: \1/' || true
        return 0
    fi
    XUNIT_XML=$xml "$pwsh" -NoProfile -NonInteractive -Command '
        foreach ($test in ([xml](Get-Content -Raw $env:XUNIT_XML)).SelectNodes("//test") | Where-Object result -EQ Fail) {
            "FAILED: $($test.name)"
            ($test.SelectSingleNode("failure/message").InnerText -split "\n" | Select-Object -First 12) -replace "^", "    "
            ($test.SelectSingleNode("failure/stack-trace").InnerText -split "\n" | Select-Object -First 4) -replace "^", "    "
        }' || true
}

run_pester() {
    local pwsh; pwsh=$(find_pwsh)
    if [ -z "$pwsh" ] || ! ls tests/*.Tests.ps1 >/dev/null 2>&1; then
        echo "Pester: skipped (no pwsh found)" >&2; PESTER_COUNTS="0 0 0"; return
    fi
    log "Pester ($pwsh)"
    local line
    # tee to a file, never to /dev/stderr: reopening a log file through /dev/stderr truncates it.
    local log=$REPO/out/test-results/pester.txt
    mkdir -p "${log%/*}"
    CONTAINERTOOLS_MODULE=$OUT "$pwsh" -NoProfile -NonInteractive -File tests/Invoke-PesterTests.ps1 | tee "$log" || true
    line=$(grep -a '^PESTER ' "$log" | tail -1) || true
    [ -n "$line" ] || { PESTER_COUNTS="0 1 0"; return; }
    PESTER_COUNTS=$(echo "$line" | awk '{print $2, $3, $4}')
}

test() {
    prereqs
    build
    run_xunit "$@"
    run_pester
    read -r xp xf xs <<<"$XUNIT_COUNTS"
    read -r pp pf ps <<<"$PESTER_COUNTS"
    list_xunit_failures
    echo "xunit: $xp passed, $xf failed, $xs skipped; Pester: $pp passed, $pf failed, $ps skipped"
    echo "$((xp + pp)) passed, $((xf + pf)) failed, $((xs + ps)) skipped"
    [ $((xf + pf)) -eq 0 ] && [ $((xp + pp)) -gt 0 ]
}

demo() {
    prereqs
    [ "${1:-}" = "--no-build" ] || build
    local pwsh; pwsh=$(find_pwsh)
    [ -n "$pwsh" ] || { echo "the demo needs pwsh (PowerShell 7.6) on PATH" >&2; exit 1; }
    CONTAINERTOOLS_MODULE=$OUT "$pwsh" -NoProfile -NonInteractive -File tests/demo.ps1
}

help() {
    local pwsh; pwsh=$(find_pwsh)
    [ -n "$pwsh" ] || { echo "building help needs pwsh and platyPS 1.0" >&2; exit 1; }
    [ -f "$OUT/ContainerTools.dll" ] || build
    "$pwsh" -NoProfile -NonInteractive -File src/ContainerTools/Help/Build-Help.ps1 -ModulePath "$OUT" -OutputPath "$REPO/en-US"
}

# The bench builds only when a source changed since the module was last built (a no-change build of the three
# projects costs more than a quick bench section). Any edit, checkout or merge makes a file newer than the stamp.
BUILT_STAMP=$OUT/.built
module_changed() {
    [ -f "$BUILT_STAMP" ] || return 0
    [ -n "$(find src ContainerTools.psd1 formats en-US Directory.Build.props tests/fixtures/busybox-rootfs.sh \
        \( -name bin -o -name obj \) -prune -o -newer "$BUILT_STAMP" -print -quit)" ]
}

bench() {
    apt_install "${APT_PACKAGES[@]}" "${BENCH_PACKAGES[@]}"
    if module_changed; then build; else log "module up to date: $OUT"; fi
    bash bench/run.sh "$@"
}

task=${1:-build}
shift || true
case "$task" in
    prereqs|build|test|demo|bench|help) "$task" "$@" ;;
    clean) rm -rf out src/*/bin src/*/obj tests/*/bin tests/*/obj ;;
    *) echo "usage: $0 [prereqs|build|test|demo|bench|help|clean]" >&2; exit 2 ;;
esac
