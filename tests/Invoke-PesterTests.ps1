# Runs every tests/*.Tests.ps1 with Pester 5 against the built module and prints one summary line
# "PESTER <passed> <failed> <skipped>" for build.sh.
$ErrorActionPreference = 'Stop'
Import-Module Pester -MinimumVersion 5.0
$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$result = Invoke-Pester -Configuration $config
"PESTER $($result.PassedCount) $($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount) $($result.SkippedCount)"
