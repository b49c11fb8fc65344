# Shared by the Pester tests and the demo: the built module and a throwaway store (per test file) that leaves nothing behind.
function Get-ModuleUnderTest {
    if ($env:CONTAINERTOOLS_MODULE) { return (Join-Path $env:CONTAINERTOOLS_MODULE 'ContainerTools.psd1') }
    Join-Path $PSScriptRoot '../out/ContainerTools/ContainerTools.psd1'
}

function New-TestStore([string] $Prefix = 'pester') {
    $path = Join-Path '/tmp/ctt' ("$Prefix-" + [guid]::NewGuid().ToString('N').Substring(0, 12))
    New-Item -ItemType Directory -Path "$path/root", "$path/run" -Force | Out-Null
    $global:ContainerToolsRoot = "$path/root"
    $global:ContainerToolsRunRoot = "$path/run"
    $path
}

# The module under test imported for the session, a new store, and busybox:latest in it: where most test files start.
function New-BusyboxTestStore {
    Import-Module (Get-ModuleUnderTest) -Force -Global
    $path = New-TestStore
    Import-ContainerImage -Path (Join-Path (Split-Path (Get-ModuleUnderTest)) 'images/busybox.tar.gz') -Name busybox:latest | Out-Null
    $path
}

# A /24 of the Pester range, 10.214.x.0/24 (the xunit tests use 10.213): its first three octets. From a random
# start, each call takes the next one, so the networks one test makes never overlap (three random picks did, now
# and then).
$script:lastSubnet = Get-Random -Minimum 1 -Maximum 250
function Get-TestSubnetBase {
    $script:lastSubnet = $script:lastSubnet % 249 + 1
    "10.214.$script:lastSubnet"
}

function Remove-TestStore([string] $Path) {
    if ($Path -and (Get-Command Get-Container -ErrorAction Ignore)) {
        Get-Container -ErrorAction Ignore | Remove-Container -Force -ErrorAction Ignore
    }
    Remove-Variable -Name ContainerToolsRoot, ContainerToolsRunRoot -Scope Global -ErrorAction Ignore
    if (-not $Path) { return }
    # The store's networks: their bridges and the rules the firewall plugin left.
    Get-ChildItem "$Path/root/networks/*.conflist" -ErrorAction Ignore | ForEach-Object {
        $bridge = (Get-Content -Raw $_.FullName | ConvertFrom-Json).plugins | Where-Object type -eq 'bridge' | ForEach-Object bridge
        if ($bridge) { Remove-TestBridge $bridge }
    }
    # Processes that name the store, then mounts below it (deepest first), then the files.
    Get-ChildItem /proc -Directory | Where-Object Name -match '^\d+$' | ForEach-Object {
        $cmd = Get-Content -Raw -LiteralPath "$($_.FullName)/cmdline" -ErrorAction Ignore
        if ($cmd -and $cmd.Contains($Path) -and [int]$_.Name -ne $PID) { Stop-Process -Id $_.Name -Force -ErrorAction Ignore }
    }
    Get-Content /proc/self/mountinfo | ForEach-Object { ($_ -split ' ')[4] } |
        Where-Object { $_ -like "$Path*" } | Sort-Object Length -Descending | ForEach-Object { umount -l $_ 2>$null }
    Remove-Item -LiteralPath $Path -Recurse -Force -ErrorAction Ignore
    # Groups named after the store: a spare monitor's, made ahead for its next container, which the spare removes at
    # its session's end unless it was killed above (empty, so rmdir takes it).
    $leaf = Split-Path -Leaf $Path
    Get-Item "/sys/fs/cgroup/*/containertools/*$leaf*" -ErrorAction Ignore |
        ForEach-Object { try { [IO.Directory]::Delete($_.FullName) } catch { } }
    # The parent groups the engine keeps between containers (as runc does), once empty (rmdir refuses otherwise).
    Get-ChildItem /sys/fs/cgroup -Directory -ErrorAction Ignore | ForEach-Object {
        foreach ($parent in 'containertools', 'ctrun') {
            try { [IO.Directory]::Delete((Join-Path $_.FullName $parent)) } catch { }
        }
    }
}

# A bridge a test's network made, and the two isolation rules the firewall plugin leaves for it even after the
# network is removed (ip and iptables are fixtures here, never the engine's). The rule goes to bash as one string,
# its quoted comment intact.
function Remove-TestBridge([string] $Bridge) {
    ip link del $Bridge 2>$null
    iptables-save -t filter | Where-Object { $_.StartsWith('-A ') -and $_.Contains($Bridge) } |
        ForEach-Object { bash -c "iptables -w $($_ -replace '^-A ', '-D ')" 2>$null }
}

Export-ModuleMember -Function Get-ModuleUnderTest, New-TestStore, New-BusyboxTestStore, Get-TestSubnetBase, Remove-TestStore, Remove-TestBridge
