# warm-start.ps1 <image> <runs> <warmup> [Invoke-ContainerImage parameters...]: Invoke-ContainerImage -Remove of
# `true` in one warm pwsh session (bench/warm.ps1), each run timed whole; prints "min median" in milliseconds.
# The extra parameters are passed as written (e.g. -Memory 256MB); without -Network the container gets none,
# as crun and runc run their bundle.
param([string] $Image, [int] $Runs, [int] $Warmup, [Parameter(ValueFromRemainingArguments)] [string[]] $Parameter)
if ($Parameter -notcontains '-Network') { $Parameter += '-Network', 'none' }
$command = "Invoke-ContainerImage '$Image' -Remove -Pull Never $($Parameter -join ' ') -- /bin/true; if (`$LASTEXITCODE -ne 0) { throw `"exit code `$LASTEXITCODE`" }"
& (Join-Path $PSScriptRoot 'warm.ps1') -Command $command -Runs $Runs -Warmup $Warmup
