# warm.ps1 -Command <text> -Runs <n> -Warmup <n> [-Setup <text>] [-Before <text>]: times a PowerShell command in
# one warm pwsh session with the module loaded, so pwsh's own start-up does not count. -Setup runs once,
# -Before before every run (untimed); prints "min median" in milliseconds. The store comes from
# CONTAINERTOOLS_ROOT unless the text sets $ContainerToolsRoot.
param([Parameter(Mandatory)] [string] $Command, [int] $Runs = 5, [int] $Warmup = 1, [string] $Setup = '', [string] $Before = '')
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $env:CONTAINERTOOLS_MODULE 'ContainerTools.psd1')
# Dot-sourced so that the variables -Setup and -Before set are seen by -Command.
if ($Setup) { . ([scriptblock]::Create($Setup)) }
$eachRun = if ($Before) { [scriptblock]::Create($Before) }
$timed = [scriptblock]::Create($Command)
$times = [Collections.Generic.List[double]]::new()
for ($i = 0; $i -lt $Warmup + $Runs; $i++) {
    if ($eachRun) { . $eachRun }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    . $timed
    $watch.Stop()
    if ($i -ge $Warmup) { $times.Add($watch.Elapsed.TotalMilliseconds) }
}
$sorted = $times | Sort-Object
$median = if ($sorted.Count % 2) { $sorted[[int][math]::Floor($sorted.Count / 2)] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
'{0:F2} {1:F2}' -f $sorted[0], $median
