# Shared by the bench sections: measuring, recording rows, cleaning up. Sourced by bench/run.sh.
# A row: one tool doing one job on the same input as the other rows of its group, timed by hyperfine
# (or by a warm pwsh session where start-up would swamp the job), several runs, minimum and median.

ROWS_FILE=$WORK/rows.tsv     # group \t tool \t command \t min \t median \t unit \t reference(0/1)

# measure GROUP TOOL REFERENCE COMMAND... : times a command with hyperfine, no shell in between.
measure() {
    local group=$1 tool=$2 reference=$3; shift 3
    local json=$WORK/hf-$(echo "$group-$tool" | tr -c 'a-zA-Z0-9-' '_').json
    if ! hyperfine -N --style none --warmup "$WARMUP" --runs "$RUNS" --export-json "$json" -- "$(quote "$@")" >/dev/null 2>"$json.err"; then
        echo "  $tool: FAILED ($(tail -3 "$json.err" | tr '\n' ' '))" >&2
        printf '%s\t%s\t%s\t-\t-\tms\t%s\n' "$group" "$tool" "$(quote "$@")" "$reference" >>"$ROWS_FILE"
        return 0
    fi
    local min median
    min=$(jq '.results[0].min * 1000' "$json")
    median=$(jq '.results[0].median * 1000' "$json")
    record "$group" "$tool" "$(quote "$@")" "$min" "$median" ms "$reference"
}

# record GROUP TOOL COMMAND MIN MEDIAN UNIT REFERENCE : a row measured some other way.
record() {
    printf '%s\t%s\t%s\t%.2f\t%.2f\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7" >>"$ROWS_FILE"
    printf '  %-28s min %10.2f  median %10.2f %s\n' "$2" "$4" "$5" "$6" >&2
}

quote() { local out="" a; for a in "$@"; do out+="${out:+ }$(printf '%q' "$a")"; done; echo "$out"; }

# Kills the processes started by a section (by pid file or pattern) and unmounts below a directory.
unmount_below() {
    { grep -F " $1" /proc/self/mountinfo || true; } | awk '{print $5}' | sort -r |
        while read -r m; do umount -l "$m" 2>/dev/null || true; done
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
        echo "Runs per row: $RUNS after $WARMUP warm-up runs (hyperfine -N) unless the row says otherwise."
        echo
        echo "Versions: $VERSIONS"
        echo
        echo "Ratio: the row's median over its group's reference median (the row marked *ref*); below 1 is faster or smaller."
        local group=""
        while IFS=$'\t' read -r g tool cmd min median unit ref; do
            if [ "$g" != "$group" ]; then
                group=$g
                echo
                echo "## $g"
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
        done <"$ROWS_FILE"
    } >"$out"
    echo "wrote $out" >&2
}
