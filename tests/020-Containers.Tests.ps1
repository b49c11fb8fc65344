BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $store = New-BusyboxTestStore
}

AfterAll {
    Get-Container -ErrorAction Ignore | Remove-Container -Force -ErrorAction Ignore
    Remove-TestStore $store
}

Describe 'Containers in a real pwsh' {
    It 'runs a command in the foreground like a native command' {
        $out = Invoke-ContainerImage busybox -Remove -- sh -c 'echo one; echo two; exit 3'
        $out | Should -Be @('one', 'two')
        $LASTEXITCODE | Should -Be 3
        Get-Container | Should -BeNullOrEmpty
    }

    It 'sends stderr to the error stream' {
        Invoke-ContainerImage busybox -Remove -Command sh, -c, 'echo oops >&2' -ErrorVariable errors -ErrorAction SilentlyContinue | Out-Null
        $errors.Count | Should -Be 1
        "$($errors[0])" | Should -Be 'oops'
    }

    It 'starts a container attached like docker start -a, each run with its own output' {
        New-Container busybox -Name pester-attach -- sh -c 'echo hello; echo oops >&2; exit 4' | Out-Null
        foreach ($run in 1..2) {
            $out = Start-Container pester-attach -Attach -ErrorVariable errors -ErrorAction SilentlyContinue
            $out | Should -Be 'hello'
            "$errors" | Should -Be 'oops'
            $LASTEXITCODE | Should -Be 4
        }
        New-Container busybox -Name pester-attach2 true | Out-Null
        { 'pester-attach', 'pester-attach2' | Start-Container -Attach -ErrorAction Stop } | Should -Throw '*cannot start and attach multiple containers*'
        (Get-Container pester-attach2).Status | Should -Be 'Created'
        Remove-Container pester-attach, pester-attach2
    }

    It 'manages a container through its life with pipelines' {
        New-Container busybox -Name pester-web -Start sleep 300 | Select-Object -ExpandProperty Status | Should -Be 'Running'
        (Get-Container pester-web | Format-Table | Out-String -Width 200) | Should -Match 'pester-web\s+busybox:latest\s+Up .*"sleep 300"'
        # An 80-column console still shows the status: PowerShell drops the columns past its width.
        (Get-Container pester-web | Format-Table | Out-String -Width 80) | Should -Match '(?s)Id\s+Name\s+Image\s+Status.*pester-web\s+busybox:latest\s+Up '
        (Get-Container pester-web | Format-List | Out-String) | Should -Match 'Pid\s+: \d+'
        (Get-Container pester-web | Format-List | Out-String) | Should -Match 'StopSignal\s+: SIGTERM\s+StopTimeout\s+: 10'
        Get-Container pester-web | Stop-Container -Timeout 0
        (Get-Container pester-web).Status | Should -Be 'Exited'
        (Get-Container pester-web).ExitCode | Should -Be 137
        Get-Container -Status Exited | Remove-Container
        Get-Container pester-web -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'completes container names on Tab' {
        New-Container busybox -Name pester-complete true | Out-Null
        (TabExpansion2 -inputScript 'Start-Container pester-c' -cursorColumn 24).CompletionMatches.CompletionText | Should -Be 'pester-complete'
        Remove-Container pester-complete
    }

    It 'runs container after container from one session and leaves no monitor behind when the session ends' {
        $script = "Import-Module '$(Get-ModuleUnderTest)'; `$ContainerToolsRoot = '$ContainerToolsRoot'; `$ContainerToolsRunRoot = '$ContainerToolsRunRoot'; " +
            "1..3 | ForEach-Object { Invoke-ContainerImage busybox -Remove -- echo run `$_ }"
        pwsh -NoProfile -NonInteractive -Command $script | Should -Be @('run 1', 'run 2', 'run 3')
        # The spare monitor the session kept for a next container ends with it (this session's own spare stays).
        $left = {
            @(Get-ChildItem /proc -Directory | Where-Object {
                $_.Name -match '^\d+$' -and (Get-Content -Raw "$($_.FullName)/cmdline" -ErrorAction Ignore) -like "*$ContainerToolsRoot*" -and
                    (Get-Content "$($_.FullName)/status" -ErrorAction Ignore) -notcontains "PPid:`t$PID"
            })
        }
        $deadline = [DateTime]::UtcNow.AddSeconds(5)
        while ((& $left).Count -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        (& $left).Count | Should -Be 0
    }

    It 'reports a missing container as ObjectNotFound and goes on' {
        New-Container busybox -Name pester-real true | Out-Null
        $started = 'pester-ghost', 'pester-real' | Start-Container -PassThru -ErrorVariable failed -ErrorAction SilentlyContinue
        $started.Name | Should -Be 'pester-real'
        $failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Get-Container pester-real | Wait-Container | Remove-Container
    }
}
