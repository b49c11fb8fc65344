BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $store = New-BusyboxTestStore
}

AfterAll {
    Get-Container -ErrorAction Ignore | Remove-Container -Force -ErrorAction Ignore
    Remove-TestStore $store
}

Describe 'Container parameters and states at their edges, as a docker user types them' {
    AfterEach {
        Get-Container -ErrorAction Ignore | Remove-Container -Force -ErrorAction Ignore
    }

    It 'refuses to start a paused container and starts the rest of the pipeline' {
        New-Container busybox -Network none -Name pester-frozen -Start sleep 300 | Suspend-Container
        New-Container busybox -Network none -Name pester-fresh sleep 300 | Out-Null
        $started = 'pester-frozen', 'pester-fresh' | Start-Container -PassThru -ErrorVariable errors -ErrorAction SilentlyContinue
        $started.Name | Should -Be 'pester-fresh'
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ContainerPaused,*'
        $errors[0].TargetObject | Should -Be 'pester-frozen'
        { Start-Container pester-frozen -ErrorAction Stop } | Should -Throw '*is paused*'
        (Get-Container pester-frozen).Status | Should -Be 'Paused'
    }

    It 'refuses a relative working directory and makes no container' {
        { New-Container busybox -Network none -WorkingDirectory app true -ErrorAction Stop } | Should -Throw '*not an absolute path*'
        Get-Container | Should -BeNullOrEmpty
    }

    It 'passes a bare environment name from $env: as docker run -e NAME does' {
        $env:PESTER_EDGE_VALUE = 'from pwsh'
        try {
            Invoke-ContainerImage busybox -Network none -Remove -Environment PESTER_EDGE_VALUE -- sh -c 'echo $PESTER_EDGE_VALUE' |
                Should -Be 'from pwsh'
        }
        finally {
            Remove-Item env:PESTER_EDGE_VALUE
        }
    }

    It 'reads -Since as Unix time when it is a number, as docker logs --since does' {
        New-Container busybox -Network none -Name pester-talk -Start -- sh -c 'echo one' | Wait-Container | Out-Null
        $future = [DateTimeOffset]::UtcNow.AddHours(1).ToUnixTimeSeconds()
        Get-ContainerLog pester-talk -Since $future | Should -BeNullOrEmpty
        Get-ContainerLog pester-talk -Since ($future - 7200) | Should -Be 'one'
        Get-ContainerLog pester-talk -Since 10m | Should -Be 'one'
    }

    It 'says a missing container is missing under -WhatIf too' {
        { Rename-Container pester-ghost other -WhatIf -ErrorAction Stop } | Should -Throw "*no container named or with id 'pester-ghost'*"
    }
}
