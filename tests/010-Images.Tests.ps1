# The image cmdlets as a user meets them in a real pwsh: import the shipped busybox image, list, tag, export, remove.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $script:store = New-TestStore
    $script:busybox = Join-Path (Split-Path (Get-ModuleUnderTest)) 'images/busybox.tar.gz'
}

AfterAll {
    Remove-TestStore $script:store
}

Describe 'Images' {
    It 'imports the embedded busybox image and lists it like docker images' {
        $image = Import-ContainerImage -Path $busybox -Name busybox
        $image.Name | Should -Be 'busybox:latest'
        $image.Id | Should -Match '^sha256:[0-9a-f]{64}$'
        $table = Get-ContainerImage | Out-String
        $table | Should -Match 'Repository\s+Tag\s+Id\s+Created\s+Size'
        $table | Should -Match "busybox\s+latest\s+$($image.ShortId)"
        # The list shows the config readably, not as records' type names.
        $list = Get-ContainerImage busybox | Format-List | Out-String -Width 200
        $list | Should -Match 'Platform\s+: linux/amd64'
        $list | Should -Match 'Env\s+: PATH=/'
        $list | Should -Not -Match 'System\.Collections|ImageConfig \{'
    }

    It 'tags, exports and re-imports with the same id' {
        Add-ContainerImageTag busybox mybox:1.0
        $file = Export-ContainerImage mybox:1.0 -Path (Join-Path $store 'mybox.tar')
        $file.Length | Should -BeGreaterThan 1000
        Remove-ContainerImage mybox:1.0
        Get-ContainerImage mybox -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Import-ContainerImage $file.FullName).Id | Should -Be (Get-ContainerImage busybox).Id
    }

    It 'reports a bad archive as an error record and goes on with the next' {
        $bad = Join-Path $store 'bad.tar'
        Set-Content -Path $bad -Value 'not a tar at all'
        $images = @($bad, $busybox) | Import-ContainerImage -Name other:1 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $images.Name | Should -Be 'other:1'
    }

    It 'removes with -WhatIf touching nothing, then for real' {
        $before = (Get-ContainerImage).Count
        Get-ContainerImage | Remove-ContainerImage -WhatIf
        (Get-ContainerImage).Count | Should -Be $before
        Get-ContainerImage | Remove-ContainerImage -Force
        Get-ContainerImage | Should -BeNullOrEmpty
    }
}
