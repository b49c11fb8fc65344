# Networks given odd input or used in an odd state, as a user meets them in pwsh: the error records and what is left.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:store = New-BusyboxTestStore
    $script:subnet = "$(Get-TestSubnetBase).0/24"
}

AfterAll {
    # Its containers, and every network's bridge with the isolation rules the firewall plugin left for it.
    Remove-TestStore $script:store
}

Describe 'Network edges' {
    It 'refuses a subnet that is <why>, creating nothing' -ForEach @(
        @{ why = 'loopback'; subnet = '127.0.0.0/8'; id = 'InvalidSubnet' }
        @{ why = 'multicast'; subnet = '224.0.0.0/24'; id = 'InvalidSubnet' }
        @{ why = 'routed by the host'; subnet = 'host'; id = 'SubnetInUseOnHost' }
    ) {
        if ($subnet -eq 'host') {
            # A route of the host's own (its LAN, another engine's bridge), as ip route shows it.
            $subnet = (ip -4 route show scope link | ForEach-Object { ($_ -split ' ')[0] } | Where-Object { $_ -match '/(8|9|[12][0-9])$' } | Select-Object -First 1)
            if (-not $subnet) { Set-ItResult -Skipped -Because 'the host routes no subnet from /8 to /29'; return }
        }
        New-ContainerNetwork -Name pester-odd -Subnet $subnet -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -BeLike "$id,*"
        $failure[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure[0].TargetObject | Should -Be $subnet
        Get-ContainerNetwork pester-odd -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'keeps a network a stopped container needs' {
        $network = New-ContainerNetwork -Name pester-kept -Subnet $script:subnet
        New-Container busybox -Name pester-once -Network pester-kept -Start -Command true | Out-Null
        Wait-Container pester-once | Out-Null

        Remove-ContainerNetwork pester-kept -Confirm:$false -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'NetworkInUse,*'
        $failure[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
        $failure[0].Exception.Message | Should -Match 'pester-once'
        Start-Container pester-once
        Wait-Container pester-once | Out-Null

        Remove-Container pester-once
        Remove-ContainerNetwork pester-kept -Confirm:$false
        Get-ContainerNetwork pester-kept -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Remove-TestBridge $network.Bridge
    }

    It 'refuses to publish a port a host process listens on, creating no container' {
        $network = New-ContainerNetwork -Name pester-ports -Subnet ($script:subnet -replace '\.0/24$', '.128/25')
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Any, 0)
        $listener.Start()
        try {
            $port = $listener.LocalEndpoint.Port
            { New-Container busybox -Name pester-thief -Network pester-ports -Publish "${port}:80" -Command true } |
                Should -Throw -ErrorId 'HostPortInUse,ContainerTools.Cmdlets.NewContainerCommand'
            Get-Container pester-thief -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
        finally { $listener.Stop() }
        Remove-ContainerNetwork $network.Name -Confirm:$false
    }

    It 'refuses to connect a created container that has -Network none, as podman does' {
        New-Container busybox -Name pester-idle -Network none -Command true | Out-Null
        Connect-ContainerNetwork bridge pester-idle -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'NetworkModeConflict,*'
        $failure[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $failure[0].TargetObject | Should -Be 'pester-idle'
        Remove-Container pester-idle
    }
}
