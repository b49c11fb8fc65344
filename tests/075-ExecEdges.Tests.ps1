# Exec, limits and stored logins given what a docker user types and what other tools leave behind.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:store = New-BusyboxTestStore
    New-Container busybox -Name edge -Network none -PidsLimit 100 -Start -- sleep 300 | Out-Null
}

AfterAll {
    Remove-Container edge -Force -ErrorAction Ignore
    Remove-TestStore $script:store
}

Describe 'Exec edges' {
    It 'passes an empty argument on, as docker exec does, and refuses only an empty command' {
        Invoke-ContainerCommand edge printf, '[%s]', '', x | Should -Be '[][x]'
        { Invoke-ContainerCommand edge '' -ErrorAction Stop } | Should -Throw -ErrorId 'NoCommand,ContainerTools.Cmdlets.InvokeContainerCommandCommand'
    }

    It 'refuses a NUL in an argument instead of cutting it short' {
        { Invoke-ContainerCommand edge echo, "a`0b" -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidCommandArgument,ContainerTools.Cmdlets.InvokeContainerCommandCommand'
    }

    It 'runs as a uid with a group name that the container''s /etc/group has' {
        Invoke-ContainerCommand edge -User 1000:nogroup id | Should -Be 'uid=1000 gid=65534(nogroup) groups=65534(nogroup)'
        $LASTEXITCODE | Should -Be 0
    }
}

Describe 'Limit edges' {
    It 'refuses a pids limit beyond the kernel''s and keeps the one it had' {
        { Set-ContainerLimit edge -PidsLimit 99999999999 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidLimit,PidsLimit,ContainerTools.Cmdlets.SetContainerLimitCommand'
        (Get-Container edge).Limits.PidsLimit | Should -Be 100
    }
}

Describe 'Stored login edges' {
    It 'removes a login docker stored under a URL, through a linked auth file that stays a link' {
        $real = Join-Path $TestDrive 'real.json'
        Set-Content $real '{"auths": {"https://reg.example:5000/v2/": {"auth": "bWU6b2xk"}, "other.example": {"auth": "bWU6b2xk"}}}'
        $link = Join-Path $TestDrive 'auth.json'
        New-Item -ItemType SymbolicLink -Path $link -Target $real | Out-Null

        Disconnect-ContainerRegistry reg.example:5000 -AuthFile $link

        (Get-Item $link).LinkTarget | Should -Be $real
        (Get-Content $real -Raw | ConvertFrom-Json -AsHashtable).auths.Keys | Should -Be @('other.example')
    }

    It 'reports an auth file of the wrong shape as invalid data naming the file' {
        $bad = Join-Path $TestDrive 'bad.json'
        Set-Content $bad '{"auths": {"reg.example": "bWU6b2xk"}}'
        Disconnect-ContainerRegistry reg.example -AuthFile $bad -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Be 'InvalidAuthFile,ContainerTools.Cmdlets.DisconnectContainerRegistryCommand'
        $failed[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $failed[0].TargetObject | Should -Be $bad
    }
}
