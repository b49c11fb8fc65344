# Volumes as a user meets them in a real pwsh: create, mount, share, list, refuse while in use, remove.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:store = New-BusyboxTestStore
}

AfterAll {
    Remove-TestStore $script:store
}

Describe 'Volumes' {
    It 'keeps data in a named volume for the next container' {
        Invoke-ContainerImage busybox -Network none -Remove -Volume pester-data:/data -- sh -c 'echo saved > /data/note'
        Invoke-ContainerImage busybox -Network none -Remove -Volume pester-data:/data:ro -- cat /data/note | Should -Be 'saved'
        (Get-ContainerVolume pester-data).Size | Should -Be 6
    }

    It 'shows volumes like docker volume ls' {
        New-ContainerVolume pester-listed -Label @{ team = 'ops' } | Out-Null
        $table = Get-ContainerVolume pester-* | Format-Table | Out-String -Width 200
        $table | Should -Match 'DRIVER\s+VOLUME NAME'
        $table | Should -Match 'local\s+pester-listed'
        (Get-ContainerVolume pester-listed).Labels['team'] | Should -Be 'ops'
        $list = Get-ContainerVolume pester-listed | Format-List | Out-String -Width 200
        $list | Should -Match 'Mountpoint\s+: .*/volumes/pester-listed/_data'
        $list | Should -Match 'Labels\s+: team=ops'
    }

    It 'bind-mounts a host directory given relative to the current location' {
        $dir = Join-Path $script:store 'site'
        New-Item -ItemType Directory $dir | Out-Null
        Set-Content (Join-Path $dir 'index.html') 'hello'
        Push-Location $script:store
        try {
            Invoke-ContainerImage busybox -Network none -Remove -Volume ./site:/www:ro -- cat /www/index.html | Should -Be 'hello'
        }
        finally { Pop-Location }
    }

    It 'refuses to remove a volume in use, with the volume as target' {
        New-Container busybox -Name pester-user -Network none -Volume pester-busy:/data true | Out-Null
        Remove-ContainerVolume pester-busy -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'VolumeInUse,*'
        $err[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
        $err[0].TargetObject | Should -Be 'pester-busy'
        Remove-Container pester-user
        Get-ContainerVolume pester-busy | Remove-ContainerVolume
        Get-ContainerVolume pester-busy -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'reports a missing bind source before creating anything' {
        { New-Container busybox -Name pester-nobind -Network none -Volume /no/such/dir:/data true -ErrorAction Stop } |
            Should -Throw -ErrorId 'BindSourceNotFound,ContainerTools.Cmdlets.NewContainerCommand'
        Get-Container pester-nobind -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'gives -Volume /path an anonymous volume that Remove-Container -Volumes deletes with its container' {
        $before = @(Get-ContainerVolume).Name
        New-Container busybox -Name pester-anon -Network none -Volume /scratch, pester-named:/named true | Out-Null
        $anonymous = @(Get-ContainerVolume | Where-Object Name -NotIn $before | Where-Object Name -NE 'pester-named')
        $anonymous.Count | Should -Be 1
        $anonymous[0].Name | Should -Match '^[0-9a-f]{64}$'
        $anonymous[0].UsedBy | Should -Be 'pester-anon'
        Remove-Container pester-anon -Volumes
        Get-ContainerVolume $anonymous[0].Name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-ContainerVolume pester-named).Name | Should -Be 'pester-named'
    }

    It 'has help for every volume cmdlet' {
        foreach ($name in 'New-ContainerVolume', 'Get-ContainerVolume', 'Remove-ContainerVolume') {
            (Get-Help $name).Synopsis | Should -Not -BeLike "$name*"
            (Get-Help $name -Examples).examples | Should -Not -BeNullOrEmpty
        }
    }
}
