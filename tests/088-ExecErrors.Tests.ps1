# An exec that cannot start its command, and statistics of a stopped container, as a pwsh user meets them.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:store = New-BusyboxTestStore
    New-Container busybox -Name target -Network none -Start -- sleep 300 | Out-Null
}

AfterAll {
    Remove-Container target -Force -ErrorAction Ignore
    Remove-TestStore $script:store
}

Describe 'Exec that cannot start' {
    It '<Command> <Parameters.Keys> is a non-terminating <Id> of category <Category>, with $LASTEXITCODE <Code>' -ForEach @(
        @{ Parameters = @{ User = 'nosuchuser' }; Command = 'true'; Id = 'UserNotFound'; Category = 'ObjectNotFound'; Code = 126 }
        @{ Parameters = @{ WorkingDirectory = '/no/such/dir' }; Command = 'true'; Id = 'WorkingDirectoryNotFound'; Category = 'ObjectNotFound'; Code = 127 }
        @{ Parameters = @{ WorkingDirectory = '/etc/passwd' }; Command = 'true'; Id = 'WorkingDirectoryNotADirectory'; Category = 'InvalidArgument'; Code = 126 }
        @{ Parameters = @{}; Command = 'no-such-command'; Id = 'CommandNotFound'; Category = 'ObjectNotFound'; Code = 127 }
        @{ Parameters = @{}; Command = '/etc/passwd'; Id = 'CommandNotExecutable'; Category = 'PermissionDenied'; Code = 126 }
        @{ Parameters = @{ Detach = $true }; Command = 'no-such-command'; Id = 'CommandNotFound'; Category = 'ObjectNotFound'; Code = 127 }
    ) {
        $out = Invoke-ContainerCommand target $Command @Parameters -ErrorVariable failed -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $LASTEXITCODE | Should -Be $Code
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -Be "$Id,ContainerTools.Cmdlets.InvokeContainerCommandCommand"
        $failed[0].CategoryInfo.Category | Should -Be $Category
        $failed[0].TargetObject | Should -Be 'target'
        $failed[0].Exception.Message | Should -BeLike 'cannot start the command in target: *'
        # Nothing of the failed command is left in the container.
        (Get-ContainerProcess target).Command | Should -Be 'sleep 300'
    }

    It 'stops the caller with -ErrorAction Stop, as any ErrorRecord does' {
        { Invoke-ContainerCommand target -User nosuchuser true -ErrorAction Stop } |
            Should -Throw -ErrorId 'UserNotFound,ContainerTools.Cmdlets.InvokeContainerCommandCommand'
    }
}

Describe 'Statistics of a stopped container' {
    It 'shows docker''s zeros, not the host''s memory' {
        New-Container busybox -Name resting -Network none -- true | Out-Null
        $stats = Get-ContainerStatistic resting
        $stats.MemoryLimit | Should -Be 0
        $stats.MemoryUsage | Should -Be 0
        ($stats | Out-String) | Should -Match 'resting\s+0\.00%\s+0B / 0B\s+0\.00%'
        Remove-Container resting
    }
}
