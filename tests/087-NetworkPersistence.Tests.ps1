# Network changes that last, as a docker or podman user expects them in pwsh: Connect- and Disconnect-ContainerNetwork
# kept over restarts, a stopped container connected, Remove-ContainerNetwork -Force removing the containers it names.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:store = New-BusyboxTestStore
    # Two /25s of the run's /24.
    $script:base = Get-TestSubnetBase
}

AfterAll {
    # Its containers, and every network's bridge with the isolation rules the firewall plugin left for it.
    Remove-TestStore $script:store
}

Describe 'Network changes that last' {
    It 'keeps what Connect- and Disconnect-ContainerNetwork did over restarts, a stopped container included' {
        $networks = @(New-ContainerNetwork -Name pester-a -Subnet "$script:base.0/25")
        $networks += New-ContainerNetwork -Name pester-b -Subnet "$script:base.128/25"
        New-Container busybox -Name pester-keep -Network pester-a -Command sleep, 60 | Out-Null

        Get-Container pester-keep | Connect-ContainerNetwork -Network pester-b -Alias pester-alias -IPAddress "$script:base.140"
        Start-Container pester-keep | Out-Null

        $container = Get-Container pester-keep
        $container.Networks | Should -Be @('pester-a', 'pester-b')
        $container.IPAddresses['pester-b'] | Should -Be "$script:base.140"
        ($container | Format-List | Out-String) | Should -Match 'Network\s+: pester-a, pester-b'

        Disconnect-ContainerNetwork pester-a pester-keep -Confirm:$false
        Restart-Container pester-keep -Timeout 0
        (Get-Container pester-keep).IPAddresses.Keys | Should -Be @('pester-b')
        (Get-ContainerNetwork pester-a).Containers | Should -BeNullOrEmpty

        Remove-Container pester-keep -Force -Confirm:$false
        Remove-ContainerNetwork pester-a, pester-b -Confirm:$false
        $networks | ForEach-Object { Remove-TestBridge $_.Bridge }
    }

    It 'removes with -Force the containers that join the network, and -WhatIf names them' {
        $network = New-ContainerNetwork -Name pester-gone -Subnet "$script:base.0/25"
        New-Container busybox -Name pester-idle -Network pester-gone -Command true | Out-Null
        New-Container busybox -Name pester-busy -Network pester-gone -Command sleep, 60 -Start | Out-Null

        $transcript = Join-Path $script:store 'whatif.txt'
        Start-Transcript -Path $transcript | Out-Null
        Remove-ContainerNetwork pester-gone -Force -WhatIf
        Stop-Transcript | Out-Null
        (Get-Content -Raw $transcript) -replace '\s+', ' ' | Should -Match 'the containers that join it: pester-busy, pester-idle'
        Get-Container pester-idle, pester-busy | Should -HaveCount 2

        Remove-ContainerNetwork pester-gone -Force -Confirm:$false

        Get-Container pester-idle, pester-busy -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-ContainerNetwork pester-gone -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Remove-TestBridge $network.Bridge
    }
}
