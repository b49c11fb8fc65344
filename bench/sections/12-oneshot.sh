# Start-to-exit of a `true` container as a one-shot from a shell (a cron job, a bash script): a fresh pwsh that
# imports the module and runs Invoke-ContainerImage once, beside pwsh doing nothing (its own start-up) and podman
# run --rm (a fresh process too). Here the JIT and the module's loading count, which the warm rows leave out.

run_12_oneshot() {
    local group="one-shot from a shell: start-to-exit of true in a fresh process"
    local ours="ours: fresh pwsh, Import-Module + Invoke-ContainerImage" pwsh_alone="pwsh -Command exit (pwsh's own start-up)"
    measure "$group" "$pwsh_alone" 0 pwsh -NoProfile -NonInteractive -Command exit
    measure "$group" "$ours" 0 pwsh -NoProfile -NonInteractive -Command \
        "Import-Module '$MODULE/ContainerTools.psd1'; Invoke-ContainerImage busybox -Remove -Pull Never -Network none -- /bin/true"
    measure "$group" "podman run --rm" 1 "${PODMAN[@]}" run --rm --network none localhost/bench-busybox:latest /bin/true
    note_difference "$group" "The module (its import and the first start) adds to pwsh's own start-up" "$ours" "$pwsh_alone"
    note "$group" "This machine's pwsh is built from source without ReadyToRun (it JITs ~5,400 methods to start); Microsoft's packages ship it precompiled. The module is precompiled (PublishReadyToRun)."
}
