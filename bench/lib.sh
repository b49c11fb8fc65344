# Shared by the bench sections: measuring, recording rows, cleaning up. Sourced by bench/run.sh.
# A row: one tool doing one job on the same input as the other rows of its group, timed by hyperfine
# (or by a warm pwsh session where start-up would swamp the job), several runs, minimum and median.

ROWS_FILE=$WORK/rows.tsv     # group \t tool \t command \t min \t median \t unit \t reference(0/1)
NOTES_FILE=$WORK/notes.tsv   # group \t a sentence printed under that group's table

# measure GROUP TOOL REFERENCE COMMAND... : times a command with hyperfine, no shell in between.
measure() {
    local group=$1 tool=$2 reference=$3; shift 3
    local json=$WORK/hf-$(echo "$group-$tool" | tr -c 'a-zA-Z0-9-' '_').json
    if ! hyperfine -N --style none --warmup "$WARMUP" --runs "$RUNS" --export-json "$json" -- "$(quote "$@")" >/dev/null 2>"$json.err"; then
        tail -3 "$json.err" >>"$WORK/errors.log"
        record_failed "$group" "$tool" "$(quote "$@")" "$reference"
        return 0
    fi
    local min median
    min=$(jq '.results[0].min * 1000' "$json")
    median=$(jq '.results[0].median * 1000' "$json")
    record "$group" "$tool" "$(quote "$@")" "$min" "$median" ms "$reference"
}

# measure_self GROUP TOOL REFERENCE COMMAND_TEXT PROGRAM... : a program that times the job itself (in a warm
# process) and prints "min median" in ms; COMMAND_TEXT is what the row shows.
measure_self() {
    local group=$1 tool=$2 reference=$3 text=$4; shift 4
    local line
    if line=$("$@" 2>>"$WORK/errors.log") && [[ $line =~ ^[0-9.]+\ [0-9.]+$ ]]; then
        record "$group" "$tool" "$text" "${line% *}" "${line#* }" ms "$reference"
    else
        record_failed "$group" "$tool" "$text" "$reference"
    fi
}

# warm_pwsh ARGS... : bench/warm.ps1 (-Command, -Setup, -Before) with this run's repetitions.
warm_pwsh() { pwsh -NoProfile -NonInteractive -File "$BENCH/warm.ps1" -Runs "$RUNS" -Warmup "$WARMUP" "$@"; }

# warm_start [PARAMETERS...] : bench/warm-start.ps1, `true` in the busybox image with this run's repetitions.
warm_start() { pwsh -NoProfile -NonInteractive -File "$BENCH/warm-start.ps1" busybox "$RUNS" "$WARMUP" "$@"; }

# record_failed GROUP TOOL COMMAND REFERENCE : a row whose tool failed (the reason is in work/errors.log).
record_failed() {
    printf '%s\t%s\t%s\t-\t-\tms\t%s\n' "$1" "$2" "$3" "$4" >>"$ROWS_FILE"
    echo "  $2: FAILED (see $WORK/errors.log)" >&2
}

# record GROUP TOOL COMMAND MIN MEDIAN UNIT REFERENCE : a row measured some other way.
record() {
    printf '%s\t%s\t%s\t%.2f\t%.2f\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7" >>"$ROWS_FILE"
    printf '  %-28s min %10.2f  median %10.2f %s\n' "$2" "$4" "$5" "$6" >&2
}

# measure_cold GROUP TOOL REFERENCE PREPARE COMMAND... : RUNS runs of a command that must start from a clean
# state (PREPARE, shell text, runs untimed before each), timed from this shell; a row in ms.
measure_cold() {
    local group=$1 tool=$2 reference=$3 prepare=$4; shift 4
    local times
    if times=$(times_cold "$prepare" "$@"); then
        # shellcheck disable=SC2086
        record_times "$group" "$tool" "$(quote "$@")" "$reference" $times
    else
        record_failed "$group" "$tool" "$(quote "$@")" "$reference"
    fi
}

# times_cold PREPARE COMMAND... : prints the microseconds of each of RUNS runs; fails when a run fails.
times_cold() {
    local prepare=$1; shift
    local start end
    for _ in $(seq "$RUNS"); do
        eval "$prepare"
        start=$(date +%s%N)
        "$@" >/dev/null 2>>"$WORK/errors.log" || return 1
        end=$(date +%s%N)
        echo $(( (end - start) / 1000 ))
    done
}

# record_times GROUP TOOL COMMAND REFERENCE MICROSECONDS... : a row in ms from the single runs.
record_times() {
    local group=$1 tool=$2 command=$3 reference=$4; shift 4
    local stats
    stats=$(min_median "$@")
    record "$group" "$tool" "$command" "$(awk -v v="${stats% *}" 'BEGIN {print v / 1000}')" \
        "$(awk -v v="${stats#* }" 'BEGIN {print v / 1000}')" ms "$reference"
}

# min_median NUMBERS... : prints "min median".
min_median() {
    printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print a[1], (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}

# median_of GROUP TOOL : the median recorded for a row (for notes that compare rows).
median_of() { awk -F'\t' -v g="$1" -v t="$2" '$1 == g && $2 == t {print $5; exit}' "$ROWS_FILE"; }

# note GROUP TEXT : a sentence under the group's table.
note() { printf '%s\t%s\n' "$1" "$2" >>"$NOTES_FILE"; echo "  note: $2" >&2; }

# note_difference GROUP TEXT TOOL_WITH TOOL_WITHOUT : notes how much the median of one row adds to another's.
note_difference() {
    local with without
    with=$(median_of "$1" "$3"); without=$(median_of "$1" "$4")
    [ -n "$with" ] && [ -n "$without" ] && [ "$with" != "-" ] && [ "$without" != "-" ] || return 0
    note "$1" "$2: $(awk -v a="$with" -v b="$without" 'BEGIN {printf "%+.2f ms (%+.0f%%)", a - b, (a - b) * 100 / b}') median ($3 vs $4)."
}

quote() { local out="" a; for a in "$@"; do out+="${out:+ }$(printf '%q' "$a")"; done; echo "$out"; }

# set_aside PATH...: moves each PATH that exists into $WORK/set-aside (a rename), deleted when the run ends, then
# waits until everything written so far is on disk. A job's previous output is never deleted between timed runs:
# on this machine's ext4 without a journal, freeing many inodes makes creating files slower for about 30 s (the
# allocator skips recently freed inodes), which would charge one run's clean-up to the next run of a job that
# creates thousands of files (pull, import); and no timed run shares the disk with the previous one's writeback.
set_aside() {
    local path
    mkdir -p "$WORK/set-aside"
    for path in "$@"; do
        if [ -e "$path" ]; then mv "$path" "$(mktemp -u "$WORK/set-aside/XXXXXXXX")"; fi
    done
    sync
}

# unmount_below DIR: unmounts everything mounted below a directory, deepest first.
unmount_below() {
    { grep -F " $1" /proc/self/mountinfo || true; } | awk '{print $5}' | sort -r |
        while read -r m; do umount -l "$m" 2>/dev/null || true; done
}

# volatile DIR... : each DIR a tmpfs of its own, where every tool keeps what must not outlive a restart (our run
# root, crun's, runc's and ctrun's state, podman's runroot): /run is a tmpfs on a server, and each tool's default
# is there. (This machine's /run is on its root disk, ext4 with `discard`, where every freed block is a TRIM.)
volatile() {
    local dir
    for dir in "$@"; do mkdir -p "$dir" && mount -t tmpfs -o mode=0755 tmpfs "$dir"; done
}

# remove_stores DIR: every store of ours below DIR (a directory with containers/ or networks/, its run root
# beside it as <root>-run) loses its containers (monitors, mounts, cgroups, network attachments go with
# them), then its networks' bridges and the firewall rules naming them.
remove_stores() {
    local root conf bridge table
    find "$1" -maxdepth 4 -type d \( -name containers -o -name networks \) -printf '%h\n' 2>/dev/null | sort -u |
        while read -r root; do
            [ -f "$root/images/oci-layout" ] || continue
            pwsh -NoProfile -NonInteractive -Command "Import-Module '$MODULE/ContainerTools.psd1'
                \$ContainerToolsRoot = '$root'; \$ContainerToolsRunRoot = '$root-run'
                Get-Container | Remove-Container -Force" >/dev/null 2>&1 || true
            for conf in "$root"/networks/*.conflist; do
                [ -f "$conf" ] || continue
                bridge=$(jq -r '.plugins[] | select(.type == "bridge") | .bridge' "$conf")
                [ -n "$bridge" ] || continue
                ip link del "$bridge" 2>/dev/null || true
                for table in filter nat; do
                    iptables-save -t "$table" | grep -F -- "$bridge" | grep '^-A ' | sed 's/^-A /-D /' |
                        while read -r rule; do eval "iptables -w -t $table $rule" 2>/dev/null || true; done
                done
            done
        done
}

# write_results: bench/RESULTS.md from the rows, with the ratio of each row to its group's reference.
write_results() {
    local out=$BENCH/RESULTS.md
    {
        echo "# Benchmark results"
        echo
        echo "Written by \`./build.sh bench${QUICK:+ --quick}\` on $(date -u '+%Y-%m-%d %H:%M UTC'). Earlier results are in git history."
        echo
        echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, kernel $(uname -r), $(. /etc/os-release; echo "$PRETTY_NAME")."
        echo "Load average (1, 5, 15 min) at the start: $LOAD_START; at the end: $(cut -d' ' -f1-3 /proc/loadavg). The machine is shared;"
        echo "rows of one group ran one after the other in the same run, so their ratios compare even when the load is high."
        echo "Stores and images are on the root disk (ext4); what each tool keeps only while the machine runs (our run root,"
        echo "crun's, runc's and ctrun's state, podman's runroot) is on a tmpfs, as /run is on a server."
        echo "Runs per row: $RUNS after $WARMUP warm-up runs (hyperfine -N); rows of jobs taking seconds (pull, import, build):"
        echo "$SLOW_RUNS after $SLOW_WARMUP.${QUICK:+ Quick mode: a sanity check with few runs, every group marked (quick); not figures to quote.}"
        echo
        echo "Sections: ${SECTIONS_DONE[*]} (${#SECTIONS_DONE[@]} of ${#SECTIONS[@]}$([ ${#SECTIONS_DONE[@]} -lt ${#SECTIONS[@]} ] && echo ': the run stopped before the others'))."
        echo
        echo "Versions: $VERSIONS"
        echo
        echo "Ratio: the row's median over its group's reference median (the row marked *ref*); below 1 is faster or smaller."
        local group="" row=0
        while IFS=$'\t' read -r g tool cmd min median unit ref; do
            row=$((row + 1))
            if [ "$g" != "$group" ]; then
                group=$g
                echo
                echo "## $g${QUICK:+ (quick)}"
                echo
                echo "| tool | min | median | ratio | command |"
                echo "|---|---|---|---|---|"
            fi
            local refmedian ratio
            refmedian=$(awk -F'\t' -v g="$g" '$1 == g && $7 == 1 {print $5; exit}' "$ROWS_FILE")
            if [ "$median" = "-" ] || [ -z "$refmedian" ] || [ "$refmedian" = "-" ]; then ratio="-"
            else ratio=$(awk -v a="$median" -v b="$refmedian" 'BEGIN {printf "%.2f", a / b}'); fi
            [ "$ref" = 1 ] && tool="$tool *ref*"
            echo "| $tool | $min $unit | $median $unit | $ratio | \`${cmd//|/\\|}\` |"
            # The group's notes after its last row.
            if [ "$(awk -F'\t' -v g="$g" '$1 == g {n = NR} END {print n}' "$ROWS_FILE")" = "$row" ]; then
                awk -F'\t' -v g="$g" '$1 == g {print ""; print $2}' "$NOTES_FILE"
            fi
        done <"$ROWS_FILE"
    } >"$out"
    echo "wrote $out" >&2
}
