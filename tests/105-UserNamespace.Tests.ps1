# -UserNamespace Auto as a user meets it in a real pwsh: a root inside that is not root outside.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $store = New-BusyboxTestStore
    # This store's own delegated ids, named by its userns.json (the default is /etc/subuid and /etc/subgid).
    'containers:500000:65536' | Set-Content "$store/subuid"
    'containers:500000:65536' | Set-Content "$store/subgid"
    @{ owner = 'containers'; subuidFile = "$store/subuid"; subgidFile = "$store/subgid" } | ConvertTo-Json |
        Set-Content "$store/root/userns.json"
}

AfterAll {
    Remove-TestStore $store
}

Describe 'User namespaces' {
    It 'maps root inside to the delegated slice and keeps the image root-owned' {
        $out = Invoke-ContainerImage busybox -Remove -UserNamespace Auto -- sh -c 'id -u; stat -c %u /bin/busybox; cat /proc/self/uid_map'
        $out[0..1] | Should -Be @('0', '0')
        ($out[2] -split '\s+' | Where-Object { $_ }) -join ' ' | Should -Be '0 500000 65536'
    }

    It 'refuses a second container when the delegated ids are all in use, creating nothing' {
        New-Container busybox -Name holder -UserNamespace Auto -- true | Out-Null
        { New-Container busybox -Name second -UserNamespace Auto -ErrorAction Stop -- true } |
            Should -Throw -ErrorId 'SubordinateIdsExhausted,ContainerTools.Cmdlets.NewContainerCommand'
        (Get-Container).Name | Should -Be 'holder'
        Remove-Container holder
    }
}
