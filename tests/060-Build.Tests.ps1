# Building images as a user meets it in a real pwsh: a Dockerfile, RUN output on the host, the cache, a failing step.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:store = New-BusyboxTestStore
    $script:context = Join-Path $store 'context'
    New-Item -ItemType Directory $context | Out-Null
    Set-Content (Join-Path $context 'greeting.txt') 'hello from the context'
    Set-Content (Join-Path $context 'Dockerfile') @'
FROM busybox
COPY greeting.txt /
RUN echo "building $(cat /greeting.txt)"
CMD ["cat", "/greeting.txt"]
'@
}

AfterAll {
    Remove-TestStore $script:store
}

Describe 'Build-ContainerImage' {
    It 'builds a Dockerfile, shows RUN output on the information stream and runs the result' {
        $output = Build-ContainerImage $context -Tag greeting:1 6>&1
        $output | Where-Object { "$_" -eq 'building hello from the context' } | Should -Not -BeNullOrEmpty
        $image = $output | Where-Object { $_ -is [ContainerTools.Images.ContainerImageInfo] }
        $image.Name | Should -Be 'greeting:1'
        Invoke-ContainerImage greeting:1 -Remove | Should -Be 'hello from the context'
        (Get-ContainerImageHistory greeting:1).CreatedBy | Should -Contain 'COPY greeting.txt /'
    }

    It 'rebuilds from the cache without running anything, into the same image id' {
        $before = Get-ContainerImage greeting:1
        $output = Build-ContainerImage $context -Tag greeting:2 6>&1
        @($output | Where-Object { $_ -is [System.Management.Automation.InformationRecord] }).Count | Should -Be 0
        ($output | Where-Object { $_ -is [ContainerTools.Images.ContainerImageInfo] }).Id | Should -Be $before.Id
    }

    It 'reports a failing RUN with its exit code and tags nothing' {
        $bad = Join-Path $store 'bad'
        New-Item -ItemType Directory $bad | Out-Null
        Set-Content (Join-Path $bad 'Dockerfile') "FROM busybox`nRUN echo oops && exit 7"
        Build-ContainerImage $bad -Tag broken:1 -ErrorVariable failure -ErrorAction SilentlyContinue 6>$null
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'BuildRunFailed,*'
        $failure[0].Exception.Message | Should -Match 'exit code 7'
        Get-ContainerImage broken:1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-Container | Should -BeNullOrEmpty
    }
}

Describe 'ConvertTo-ContainerImage' {
    It 'commits a container''s changes as a new image' {
        New-Container busybox -Name committed -Command sh, -c, 'echo saved > /state' | Start-Container
        Wait-Container committed | Out-Null
        $image = ConvertTo-ContainerImage committed -Name saved:1 -Change 'CMD ["cat", "/state"]'
        $image.Name | Should -Be 'saved:1'
        Invoke-ContainerImage saved:1 -Remove | Should -Be 'saved'
        Remove-Container committed
    }
}
