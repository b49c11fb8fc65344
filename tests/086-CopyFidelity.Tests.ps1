# Copy-ContainerItem's -FollowLink as a docker user types it (-L), and its errors as records with a category and target.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:store = New-BusyboxTestStore
    New-Container busybox -Name pester-fidelity -Network none -Start -- sleep 300 | Out-Null
    # Made by an exec, which returns once they exist (a start returns once the command runs, not once it has done something).
    Invoke-ContainerCommand pester-fidelity sh, -c, 'echo inside > /target; ln -s /target /link; ln -s /nowhere /dangling'
    $script:work = Join-Path $script:store 'work'
    New-Item -ItemType Directory $script:work | Out-Null
}

AfterAll {
    Remove-Container pester-fidelity -Force -ErrorAction SilentlyContinue
    Remove-TestStore $script:store
}

Describe 'Copy fidelity' {
    It 'copies a link as the link, and with -L as what it points to' {
        $plain = New-Item -ItemType Directory (Join-Path $script:work 'plain')
        Copy-ContainerItem pester-fidelity:/link $plain
        (Get-Item (Join-Path $plain 'link')).LinkTarget | Should -Be '/target'

        $followed = New-Item -ItemType Directory (Join-Path $script:work 'followed')
        Copy-ContainerItem pester-fidelity:/link $followed -L
        (Get-Item (Join-Path $followed 'link')).LinkType | Should -BeNullOrEmpty
        Get-Content (Join-Path $followed 'link') | Should -Be 'inside'
    }

    It 'reports following a dangling link as an ObjectNotFound record naming the path' {
        $empty = New-Item -ItemType Directory (Join-Path $script:work 'empty')
        Copy-ContainerItem pester-fidelity:/dangling $empty -FollowLink -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ContainerPathNotFound,*'
        $failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failed[0].TargetObject | Should -Be '/dangling'
        Get-ChildItem $empty | Should -BeNullOrEmpty
    }
}
