# Networks as a user meets them in a real pwsh: create, list, table, errors, remove.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $script:store = New-TestStore
    # 10.214.x.0/24: a range the xunit tests (10.213) never use, chosen per run.
    $script:subnet = "10.214.$(Get-Random -Minimum 1 -Maximum 250).0/24"
}

AfterAll {
    Get-ContainerNetwork | Where-Object Name -ne 'bridge' | Remove-ContainerNetwork -Force -Confirm:$false -ErrorAction Ignore
    Remove-TestStore $script:store
}

Describe 'Container networks' {
    It 'has the default bridge network from first use' {
        (Get-ContainerNetwork).Name | Should -Contain 'bridge'
    }

    It 'creates a network and shows it in a docker-like table' {
        $network = New-ContainerNetwork -Name pester-web -Subnet $script:subnet
        $network.Subnet | Should -Be $script:subnet
        $table = Get-ContainerNetwork pester-web | Out-String -Width 160
        $table | Should -Match 'NAME\s+DRIVER\s+SUBNET'
        $table | Should -Match ('pester-web\s+bridge\s+' + [regex]::Escape($script:subnet))
    }

    It 'refuses an overlapping subnet with a clear error and creates nothing' {
        $null = New-ContainerNetwork -Name pester-clash -Subnet $script:subnet -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'SubnetOverlaps,*'
        $failure[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        Get-ContainerNetwork pester-clash -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'removes with -WhatIf changing nothing, then for real' {
        Remove-ContainerNetwork pester-web -WhatIf
        Get-ContainerNetwork pester-web | Should -Not -BeNullOrEmpty
        Get-ContainerNetwork pester-web | Remove-ContainerNetwork -Confirm:$false
        Get-ContainerNetwork pester-web -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'has help with examples for every network cmdlet' {
        foreach ($name in 'New-ContainerNetwork', 'Get-ContainerNetwork', 'Remove-ContainerNetwork', 'Connect-ContainerNetwork', 'Disconnect-ContainerNetwork') {
            (Get-Help $name).Synopsis | Should -Not -BeLike "$name*"
            (Get-Help $name -Examples).examples | Should -Not -BeNullOrEmpty
        }
    }
}
