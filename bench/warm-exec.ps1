# warm-exec.ps1 <container> <tree> <runs> <warmup>: in one warm pwsh session, times each
# `Invoke-ContainerCommand <container> true` and each `Copy-ContainerItem <tree> <container>:/tmp/`;
# prints two lines "min median" in milliseconds (exec, then copy). The store comes from CONTAINERTOOLS_ROOT.
param([string] $Container, [string] $Tree, [int] $Runs, [int] $Warmup)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $env:CONTAINERTOOLS_MODULE 'ContainerTools.psd1')

function Measure-Runs([scriptblock] $Job) {
    $times = [Collections.Generic.List[double]]::new()
    for ($i = 0; $i -lt $Warmup + $Runs; $i++) {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        & $Job
        if ($i -ge $Warmup) { $times.Add($watch.Elapsed.TotalMilliseconds) }
    }
    $sorted = $times | Sort-Object
    $median = if ($sorted.Count % 2) { $sorted[[int][math]::Floor($sorted.Count / 2)] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
    '{0:F2} {1:F2}' -f $sorted[0], $median
}

Measure-Runs { Invoke-ContainerCommand $Container true; if ($LASTEXITCODE -ne 0) { throw "exit code $LASTEXITCODE" } }
Measure-Runs { Copy-ContainerItem -Path $Tree -Destination "${Container}:/tmp/" }
