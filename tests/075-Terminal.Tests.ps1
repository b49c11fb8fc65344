# Enter-Container as a user meets it when PowerShell has no terminal (a script with redirected input or
# output): a clear refusal that starts nothing. The terminal itself is tested under tmux (TerminalTests,
# InteractiveRunTests), and here once for docker run -it.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:store = New-BusyboxTestStore
    New-Container busybox -Name shell-host -Start -- sleep 300 | Out-Null
    $script:onTerminal = -not [Console]::IsInputRedirected -and -not [Console]::IsOutputRedirected
}

AfterAll {
    Remove-Container shell-host -Force -ErrorAction Ignore
    Remove-TestStore $script:store
}

Describe 'Enter-Container' {
    It 'refuses without a terminal, naming the container, and leaves no process behind' {
        if ($onTerminal) { Set-ItResult -Skipped -Because 'Pester runs on a terminal the shell would take over' }
        $before = (Get-ContainerProcess shell-host).Count
        { Get-Container shell-host | Enter-Container -ErrorAction Stop } |
            Should -Throw -ErrorId 'NoTerminal,ContainerTools.Cmdlets.EnterContainerCommand'
        Enter-Container shell-host -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        "$($failure[0])" | Should -BeLike '*needs a terminal*'
        (Get-ContainerProcess shell-host).Count | Should -Be $before
    }

    It 'has help with an example' {
        (Get-Help Enter-Container).examples.example.Count | Should -BeGreaterThan 0
    }
}

Describe 'Invoke-ContainerImage -Interactive' {
    It 'gives the container a terminal of its own in a pwsh on a terminal, and its exit code and -Remove work' {
        $result = Join-Path $store 'interactive-result'
        $script = Join-Path $store 'interactive.ps1'
        Set-Content -LiteralPath $script -Value @"
`$global:ContainerToolsRoot = '$ContainerToolsRoot'
`$global:ContainerToolsRunRoot = '$ContainerToolsRunRoot'
Import-Module '$(Get-ModuleUnderTest)'
Invoke-ContainerImage busybox -Interactive -Remove -Name pester-it -- sh -c 'tty; stty size; exit 7'
"code=`$LASTEXITCODE containers=`$(@(Get-Container pester-it -ErrorAction Ignore).Count)" | Set-Content -LiteralPath '$result'
"@
        $server = 'ct-pester-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        $pwsh = (Get-Process -Id $PID).Path
        tmux -L $server new-session -d -x 80 -y 24 "$pwsh -NoProfile -NoExit -File $script"
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(90)
            while (-not (Test-Path -LiteralPath $result) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
            $screen = (tmux -L $server capture-pane -p) -join "`n"
        }
        finally {
            tmux -L $server kill-server
        }
        Get-Content -LiteralPath $result | Should -Be 'code=7 containers=0'
        $screen | Should -Match '/dev/pts/\d+\s*\n24 80'
    }

    It 'refuses without a terminal and creates no container' {
        if ($onTerminal) { Set-ItResult -Skipped -Because 'Pester runs on a terminal the container would take over' }
        $before = @(Get-Container).Count
        { Invoke-ContainerImage busybox -Interactive -ErrorAction Stop -- sh } |
            Should -Throw -ErrorId 'NoTerminal,ContainerTools.Cmdlets.InvokeContainerImageCommand'
        @(Get-Container).Count | Should -Be $before
    }
}
