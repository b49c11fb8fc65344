<#
.SYNOPSIS
    The ContainerTools build tasks for people who live in pwsh: the same tasks as build.sh, which it runs.
.EXAMPLE
    ./build.ps1 test
    Installs prerequisites, builds out/ContainerTools and runs every test.
.EXAMPLE
    ./build.ps1 build; Import-Module ./out/ContainerTools/ContainerTools.psd1
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('prereqs', 'build', 'test', 'demo', 'bench', 'help', 'clean')]
    [string] $Task = 'build',

    # Passed to the task (for example xunit filters for test, --quick for bench).
    [Parameter(Position = 1, ValueFromRemainingArguments)]
    [string[]] $Arguments = @()
)
# One implementation of every task lives in build.sh; this keeps the two from drifting apart.
& bash (Join-Path $PSScriptRoot 'build.sh') $Task @Arguments
exit $LASTEXITCODE
