# Memory per running container: the host-side process that watches one running container (ours: its ctmon
# monitor; podman: its conmon), N sleeping busybox containers each, no network. It is the parent of the
# container's first process; its VmRSS (/proc/<pid>/status) and Pss (/proc/<pid>/smaps_rollup, shared pages
# divided among the processes sharing them, so N monitors of one executable count their code once) in MiB,
# min and median over the N monitors.

MEMORY_NAME=bench-mem

cleanup_20_memory() {
    pwsh -NoProfile -NonInteractive -Command "Import-Module '$MODULE/ContainerTools.psd1'
        Get-Container '$MEMORY_NAME-*' | Remove-Container -Force" >/dev/null 2>&1 || true
    podman_ rm --force --time 0 --filter "name=$MEMORY_NAME-" >/dev/null 2>&1 || true
}

# monitor_memory FIELD PID... : FIELD (VmRSS or Pss, kB) of the parent of each container process, in MiB.
monitor_memory() {
    local field=$1; shift
    local pid parent file
    for pid in "$@"; do
        parent=$(awk '/^PPid:/ {print $2}' "/proc/$pid/status")
        file=/proc/$parent/status; [ "$field" = Pss ] && file=/proc/$parent/smaps_rollup
        awk -v f="$field:" '$1 == f {printf "%.2f\n", $2 / 1024}' "$file"
    done
}

# monitor_name PID : the command name of the container process's parent (the row says which process it is).
monitor_name() { cat "/proc/$(awk '/^PPid:/ {print $2}' "/proc/$1/status")/comm"; }

# record_memory FIELD TOOL REFERENCE COMMAND PID... : one row of FIELD (VmRSS or Pss) for one tool.
record_memory() {
    local field=$1 tool=$2 reference=$3 command=$4; shift 4
    local stats
    # shellcheck disable=SC2046
    stats=$(min_median $(monitor_memory "$field" "$@"))
    record "$MEMORY_GROUP: $field" "$tool ($(monitor_name "$1"))" "$command" "${stats% *}" "${stats#* }" MiB "$reference"
}

run_20_memory() {
    local count; count=$([ -n "$QUICK" ] && echo 3 || echo 10)
    MEMORY_GROUP="memory of the monitor per running container ($count running each)"
    local ours podman=() i
    ours=$(pwsh -NoProfile -NonInteractive -Command "Import-Module '$MODULE/ContainerTools.psd1'
        \$ErrorActionPreference = 'Stop'
        foreach (\$i in 1..$count) {
            Invoke-ContainerImage busybox -Detach -Network none -Pull Never -Name $MEMORY_NAME-\$i -- sleep 3600 | Out-Null
        }
        (Get-Container '$MEMORY_NAME-*').Pid" 2>>"$WORK/errors.log") || { echo "  ours: FAILED (see $WORK/errors.log)" >&2; ours=""; }
    for i in $(seq "$count"); do
        podman_ run -d --network none --name "$MEMORY_NAME-$i" localhost/bench-busybox:latest sleep 3600 >/dev/null
        podman+=("$(podman_ inspect --format '{{.State.Pid}}' "$MEMORY_NAME-$i")")
    done
    sleep 1   # the monitors settle (lazy start-up work done) before they are read
    local field
    for field in VmRSS Pss; do
        # shellcheck disable=SC2086
        [ -n "$ours" ] && record_memory "$field" "ours" 0 "Invoke-ContainerImage busybox -Detach -Network none -- sleep 3600" $ours
        record_memory "$field" "podman" 1 "$(quote "${PODMAN[@]}" run -d --network none localhost/bench-busybox:latest sleep 3600)" "${podman[@]}"
    done
    cleanup_20_memory
}
