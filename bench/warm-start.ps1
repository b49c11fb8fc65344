# warm-start.ps1 <image> <runs> <warmup> [security options]: Invoke-ContainerImage -Remove of `true` in one warm
# pwsh session, each run timed whole; prints "min median" in milliseconds. The store comes from CONTAINERTOOLS_ROOT.
param([string] $Image, [int] $Runs, [int] $Warmup, [string[]] $SecurityOption = @())
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $env:CONTAINERTOOLS_MODULE 'ContainerTools.psd1')
$times = [Collections.Generic.List[double]]::new()
for ($i = 0; $i -lt $Warmup + $Runs; $i++) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $security = if ($SecurityOption) { @{ SecurityOption = $SecurityOption } } else { @{} }
    Invoke-ContainerImage $Image -Remove -Network none -Pull Never @security -- /bin/true
    if ($LASTEXITCODE -ne 0) { throw "exit code $LASTEXITCODE" }
    if ($i -ge $Warmup) { $times.Add($watch.Elapsed.TotalMilliseconds) }
}
$sorted = $times | Sort-Object
$median = if ($sorted.Count % 2) { $sorted[[int][math]::Floor($sorted.Count / 2)] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
'{0:F2} {1:F2}' -f $sorted[0], $median
