# Security options as a user meets them in a real pwsh: defaults, widening and narrowing, and bad input.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $store = New-BusyboxTestStore
}

AfterAll {
    Remove-TestStore $store
}

Describe 'Container security' {
    It 'runs every container under the default seccomp filter with no_new_privs' {
        $status = Invoke-ContainerImage busybox -Remove -- grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status
        $status | Should -Be @("NoNewPrivs:`t1", "Seccomp:`t2")
    }

    It 'refuses a new user namespace as Docker does' {
        $out = Invoke-ContainerImage busybox -Remove -- sh -c 'unshare -U true 2>&1; echo $?'
        $out | Should -Be @('unshare: unshare(0x10000000): Operation not permitted', '1')
    }

    It 'widens with -CapabilityAdd and -SecurityOption seccomp=unconfined' {
        Invoke-ContainerImage busybox -Remove -CapabilityAdd SYS_ADMIN -- sh -c 'mount -t tmpfs none /tmp && echo mounted' |
            Should -Be 'mounted'
        Invoke-ContainerImage busybox -Remove -SecurityOption seccomp=unconfined -- grep '^Seccomp:' /proc/self/status |
            Should -Be "Seccomp:`t0"
    }

    It 'narrows with -CapabilityDrop ALL and -Ulimit' {
        $out = Invoke-ContainerImage busybox -Remove -CapabilityDrop ALL -Ulimit nofile=64:128 -- sh -c 'grep ^CapEff: /proc/self/status; ulimit -n'
        $out | Should -Be @("CapEff:`t0000000000000000", '64')
    }

    It 'gives an InvalidArgument error and creates nothing for an unknown capability' {
        { New-Container busybox -Name nope -CapabilityAdd CAP_FLY -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownCapability,ContainerTools.Cmdlets.NewContainerCommand'
        Get-Container | Should -BeNullOrEmpty
    }
}
