BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $manifest = Get-ModuleUnderTest
}

Describe 'The module in a real pwsh' {
    It 'imports and passes Test-ModuleManifest' {
        Test-ModuleManifest -Path $manifest | Should -Not -BeNullOrEmpty
        $module = Import-Module $manifest -PassThru -Force
        $module.Name | Should -Be 'ContainerTools'
        $module.PowerShellVersion | Should -Be ([version]'7.6')
    }

    It 'does not ship the PowerShell engine' {
        Join-Path (Split-Path $manifest) 'System.Management.Automation.dll' | Should -Not -Exist
    }

    It 'ships the NativeAOT monitor' {
        $ctmon = Join-Path (Split-Path $manifest) 'ctmon'
        $ctmon | Should -Exist
        (Get-Item $ctmon).UnixFileMode.HasFlag([IO.UnixFileMode]::UserExecute) | Should -BeTrue
    }
}
