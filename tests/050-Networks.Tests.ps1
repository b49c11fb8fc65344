# Networks as a user meets them in a real pwsh: create, list, table, errors, remove.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $script:store = New-TestStore
    $script:subnet = "$(Get-TestSubnetBase).0/24"

    # A page from a server a container has just started: until it listens the connection is refused, which
    # Invoke-WebRequest -MaximumRetryCount does not retry (it retries HTTP errors only).
    function script:Get-Page([string] $Url) {
        $deadline = [DateTime]::UtcNow.AddSeconds(15)
        while ($true) {
            try { return (Invoke-WebRequest $Url -TimeoutSec 5).Content.Trim() }
            catch [System.Net.Http.HttpRequestException] { if ([DateTime]::UtcNow -gt $deadline) { throw } }
            Start-Sleep -Milliseconds 100
        }
    }
}

AfterAll {
    # Its containers, and every network's bridge with the isolation rules the firewall plugin left for it.
    Remove-TestStore $script:store
}

Describe 'Container networks' {
    It 'has the default bridge network from first use' {
        (Get-ContainerNetwork).Name | Should -Contain 'bridge'
    }

    It 'creates a network and shows it in a docker-like table' {
        $network = New-ContainerNetwork -Name pester-web -Subnet $script:subnet
        $network.Subnet | Should -Be $script:subnet
        $table = Get-ContainerNetwork pester-web | Out-String -Width 160
        $table | Should -Match 'NAME\s+DRIVER\s+SUBNET'
        $table | Should -Match ('pester-web\s+bridge\s+' + [regex]::Escape($script:subnet))
    }

    It 'refuses an overlapping subnet with a clear error and creates nothing' {
        $null = New-ContainerNetwork -Name pester-clash -Subnet $script:subnet -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'SubnetOverlaps,*'
        $failure[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        Get-ContainerNetwork pester-clash -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'removes with -WhatIf changing nothing, then for real' {
        Remove-ContainerNetwork pester-web -WhatIf
        Get-ContainerNetwork pester-web | Should -Not -BeNullOrEmpty
        Get-ContainerNetwork pester-web | Remove-ContainerNetwork -Confirm:$false
        Get-ContainerNetwork pester-web -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'runs a web server reached by name from a container and from the host on 127.0.0.1' {
        Import-ContainerImage -Path (Join-Path (Split-Path (Get-ModuleUnderTest)) 'images/busybox.tar.gz') -Name busybox:latest | Out-Null
        $null = New-ContainerNetwork -Name pester-app -Subnet ($script:subnet -replace '\.0/24$', '.0/25')
        # Below the ephemeral range (32768 up), which client connections and the test registries draw from.
        $port = Get-Random -Minimum 20000 -Maximum 32768
        $web = New-Container busybox -Name pester-web -Network pester-app -Publish "127.0.0.1:${port}:80" -Start `
            -Command 'sh', '-c', 'echo pester-page > /tmp/index.html; exec httpd -f -p 80 -h /tmp'
        $web.Ports | Should -Be "127.0.0.1:${port}->80/tcp"
        $web.IPAddress | Should -Not -BeNullOrEmpty

        $page = Invoke-ContainerImage busybox -Network pester-app -Remove `
            -Command 'sh', '-c', 'for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://pester-web/ && exit 0; sleep 0.3; done; exit 1'
        $page | Should -Be 'pester-page'
        Get-Page "http://127.0.0.1:${port}/" | Should -Be 'pester-page'

        Remove-Container pester-web -Force -Confirm:$false
        (Get-ContainerNetwork pester-app).Containers | Should -BeNullOrEmpty
    }

    It 'publishes on a free host port with -Publish 80 and keeps it over a restart' {
        $any = New-Container busybox -Name pester-any -Network pester-app -Publish 127.0.0.1::80 -Start `
            -Command 'sh', '-c', 'echo any-page > /tmp/index.html; exec httpd -f -p 80 -h /tmp'
        $any.Ports | Should -Match '^127\.0\.0\.1:\d+->80/tcp$'
        $url = 'http://' + ($any.Ports -replace '->.*$', '') + '/'
        Get-Page $url | Should -Be 'any-page'
        Stop-Container pester-any -Timeout 1
        Start-Container pester-any | Out-Null
        (Get-Container pester-any).Ports | Should -Be $any.Ports
        Remove-Container pester-any -Force -Confirm:$false
    }

    It 'has help with examples for every network cmdlet' {
        foreach ($name in 'New-ContainerNetwork', 'Get-ContainerNetwork', 'Remove-ContainerNetwork', 'Connect-ContainerNetwork', 'Disconnect-ContainerNetwork') {
            (Get-Help $name).Synopsis | Should -Not -BeLike "$name*"
            (Get-Help $name -Examples).examples | Should -Not -BeNullOrEmpty
        }
    }
}
