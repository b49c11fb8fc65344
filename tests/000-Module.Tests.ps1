BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $manifest = Get-ModuleUnderTest
}

Describe 'The module in a real pwsh' {
    It 'uses the session store root even when a cmdlet made the path (a PSObject-wrapped string)' {
        $path = Join-Path '/tmp/ctt' ("pester-root-" + [guid]::NewGuid().ToString('N').Substring(0, 12))
        try {
            Import-Module $manifest -Force
            $ContainerToolsRoot = Join-Path $path 'alternative'
            $ContainerToolsRunRoot = Join-Path $path 'run'
            Import-ContainerImage -Path (Join-Path (Split-Path $manifest) 'images/busybox.tar.gz') -Name busybox:stored | Out-Null
            Join-Path $path 'alternative/images/index.json' | Should -Exist
            Get-Content -Raw (Join-Path $path 'alternative/images/index.json') | Should -Match 'busybox:stored'
        }
        finally {
            Remove-Item -Recurse -Force $path -ErrorAction Ignore
        }
    }

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
