# Enter-Container as a user meets it when PowerShell has no terminal (a script with redirected input or
# output): a clear refusal that starts nothing. The terminal itself is tested under tmux (TerminalTests).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $script:store = New-TestStore
    Import-ContainerImage -Path (Join-Path (Split-Path (Get-ModuleUnderTest)) 'images/busybox.tar.gz') -Name busybox | Out-Null
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
