# Resource limits, statistics and pause as a user meets them in a real pwsh.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $store = New-BusyboxTestStore
}

AfterAll {
    Get-Container -ErrorAction Ignore | Remove-Container -Force -ErrorAction Ignore
    Remove-TestStore $store
}

Describe 'Limits on containers' -Tag RequiresRoot {
    It 'takes PowerShell sizes and Docker strings and shows the limits on the container' {
        $c = New-Container busybox -Name sized -Memory 512MB -MemorySwap 1g -Cpus 1.5 -PidsLimit 100 -- true
        $c.Limits.Memory | Should -Be 512MB
        $c.Limits.MemorySwap | Should -Be 1GB
        $c.Limits.Cpus | Should -Be 1.5
        "$($c.Limits)" | Should -Be 'Memory=512MiB, MemorySwap=1GiB, Cpus=1.5, PidsLimit=100'
    }

    It 'refuses a bad limit with an ErrorRecord before creating anything' {
        { New-Container busybox -Name tiny -Memory 1MB -ErrorAction Stop -- true } |
            Should -Throw -ErrorId 'InvalidLimit,Memory,ContainerTools.Cmdlets.NewContainerCommand'
        Get-Container tiny -ErrorAction Ignore | Should -BeNullOrEmpty
    }

    It 'reports a container killed for memory as OOMKilled with exit code 137' {
        New-Container busybox -Name hog -Memory 64MB -Start -- dd if=/dev/zero of=/dev/null bs=200M count=1 | Out-Null
        Wait-Container hog | Out-Null
        $hog = Get-Container hog
        $hog.ExitCode | Should -Be 137
        $hog.OomKilled | Should -BeTrue
    }

    It 'changes limits live and keeps them for the next start' {
        New-Container busybox -Name live -Memory 256MB -Start -- sleep 300 | Out-Null
        $changed = Set-ContainerLimit live -Memory 128MB -PidsLimit 40 -PassThru
        $changed.Limits.Memory | Should -Be 128MB
        (Get-ContainerStatistic live).MemoryLimit | Should -Be 128MB
        Restart-Container live -Timeout 0 | Out-Null
        (Get-ContainerStatistic live).MemoryLimit | Should -Be 128MB
    }
}

Describe 'Statistics and pause' -Tag RequiresRoot {
    It 'shows running containers like docker stats' {
        New-Container busybox -Name watched -Memory 64MB -Start -- sleep 300 | Out-Null
        $stats = Get-ContainerStatistic watched -Count 2
        $stats | Should -HaveCount 2
        $stats[0].Name | Should -Be 'watched'
        $stats[0].Pids | Should -Be 1
        $table = Get-ContainerStatistic watched | Out-String
        $table | Should -Match 'MEM USAGE / LIMIT'
        $table | Should -Match '/ 64MiB'
    }

    It 'pauses and resumes, and a paused container still stops' {
        New-Container busybox -Name napper -Start -- sleep 300 | Out-Null
        (Suspend-Container napper -PassThru).Status | Should -Be 'Paused'
        (Resume-Container napper -PassThru).Status | Should -Be 'Running'
        Get-Container napper | Suspend-Container
        (Stop-Container napper -Timeout 1 -PassThru).Status | Should -Be 'Exited'
    }
}
