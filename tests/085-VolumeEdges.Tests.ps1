# Volumes, copies and exports given what a sysadmin's fingers type or a container plants: errors as records with a
# category and target, and nothing written outside the destination.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:store = New-BusyboxTestStore
    New-Container busybox -Name pester-edge -Network none -Start -- sleep 300 | Out-Null
    $script:work = Join-Path $script:store 'work'
    New-Item -ItemType Directory $script:work | Out-Null
}

AfterAll {
    Remove-Container pester-edge -Force -ErrorAction SilentlyContinue
    Remove-TestStore $script:store
}

Describe 'Volume and copy edges' {
    It 'takes docker''s :z and :nocopy, and refuses ./data alone instead of mounting a volume at the current path' {
        New-Item -ItemType Directory (Join-Path $script:work 'site') | Out-Null
        Set-Content (Join-Path $script:work 'site/index.html') 'hello'
        Push-Location $script:work
        try {
            Invoke-ContainerImage busybox -Network none -Remove -Volume './site:/www:ro,z' -- cat /www/index.html | Should -Be 'hello'
            Invoke-ContainerImage busybox -Network none -Remove -Volume '/etc:nocopy' -- ls /etc | Should -BeNullOrEmpty
            { New-Container busybox -Name pester-bad -Network none -Volume ./site -- true } | Should -Throw -ErrorId 'InvalidVolumeSpecification,*'
            Get-Container pester-bad -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
        finally { Pop-Location }
    }

    It 'never writes through a link an earlier copy brought out of the container' {
        $victim = Join-Path $script:work 'victim'
        Set-Content $victim 'original'
        Invoke-ContainerCommand pester-edge sh, -c, "mkdir /data; ln -s '$victim' /data/file"
        $backup = New-Item -ItemType Directory (Join-Path $script:work 'backup')
        Copy-ContainerItem pester-edge:/data $backup
        (Get-Item (Join-Path $backup 'data/file')).LinkType | Should -Be 'SymbolicLink'

        Invoke-ContainerCommand pester-edge sh, -c, 'rm /data/file; echo planted > /data/file'
        Copy-ContainerItem pester-edge:/data $backup
        Get-Content $victim | Should -Be 'original'
        (Get-Item (Join-Path $backup 'data/file')).LinkType | Should -BeNullOrEmpty
        Get-Content (Join-Path $backup 'data/file') | Should -Be 'planted'
    }

    It 'refuses a FIFO named alone with an InvalidArgument record instead of waiting for a writer' {
        $fifo = Join-Path $script:work 'fifo'
        mkfifo $fifo
        Copy-ContainerItem $fifo pester-edge:/tmp/ -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'UnsupportedFileType,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].TargetObject | Should -Be $fifo
    }

    It 'refuses a copy into a -ReadOnly root but takes one into its volume' {
        New-Container busybox -Name pester-ro -Network none -ReadOnly -Volume pester-ro-tmp:/tmp -- true | Out-Null
        try {
            $file = Join-Path $script:work 'note'
            Set-Content $file 'n'
            Copy-ContainerItem $file pester-ro:/root/ -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'ReadOnlyFileSystem,*'
            $err[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
            Copy-ContainerItem $file pester-ro:/tmp/
            Get-ChildItem (Get-ContainerVolume pester-ro-tmp).Mountpoint | Select-Object -ExpandProperty Name | Should -Be 'note'
        }
        finally { Remove-Container pester-ro -Force }
    }

    It 'refuses to export to a directory before writing anything' {
        Export-Container pester-edge $script:work -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PathIsDirectory,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].TargetObject | Should -Be $script:work
        Get-ChildItem (Split-Path $script:work) -Filter 'work.tmp-*' | Should -BeNullOrEmpty
    }
}
