# Into and out of a running container as a user meets it in a real pwsh: exec, copy, processes.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:store = New-BusyboxTestStore
    New-Container busybox -Name web -Start -- sleep 300 | Out-Null
}

AfterAll {
    Remove-Container web -Force -ErrorAction Ignore
    Remove-TestStore $script:store
}

Describe 'Exec' {
    It 'runs a command like a native one: output to the pipeline, errors to the error stream, $LASTEXITCODE' {
        $lines = Invoke-ContainerCommand web sh, -c, 'echo one; echo two; echo bad >&2; exit 4' -ErrorVariable failures -ErrorAction SilentlyContinue
        $lines | Should -Be @('one', 'two')
        $failures.Count | Should -Be 1
        "$($failures[0])" | Should -Be 'bad'
        $LASTEXITCODE | Should -Be 4
        Get-Container web | Invoke-ContainerCommand -Command hostname | Should -Be (Invoke-ContainerCommand web cat, /etc/hostname)
    }

    It 'feeds piped lines and bytes to the command''s stdin, as docker exec -i' {
        'a', 'b' | Invoke-ContainerCommand web cat | Should -Be @('a', 'b')
        $path = Join-Path $TestDrive 'lines.txt'
        Set-Content $path -Value (1..3 | ForEach-Object { "line $_" })
        Get-Content $path | Invoke-ContainerCommand web sh, -c, 'cat > /tmp/lines.txt'
        Invoke-ContainerCommand web cat, /tmp/lines.txt | Should -Be (Get-Content $path)
        , [byte[]](0, 1, 2, 255) | Invoke-ContainerCommand web wc, -c | Should -Be '4'
    }

    It 'refuses a container that is not running with an InvalidOperation error' {
        New-Container busybox -Name idle sleep 300 | Out-Null
        { Invoke-ContainerCommand idle true -ErrorAction Stop } | Should -Throw -ErrorId 'ContainerNotRunning,ContainerTools.Cmdlets.InvokeContainerCommandCommand'
        Remove-Container idle
    }

    It 'copies a file in and back out with its mode' {
        $file = Join-Path $store 'script.sh'
        Set-Content -Path $file -Value '#!/bin/sh', 'echo from-script'
        chmod 750 $file
        Copy-ContainerItem $file web:/usr/bin/hello
        Invoke-ContainerCommand web hello | Should -Be 'from-script'
        Copy-ContainerItem web:/usr/bin/hello (Join-Path $store 'back.sh')
        (Get-Item (Join-Path $store 'back.sh')).UnixMode | Should -Be '-rwxr-x---'
    }

    It 'copies with wildcards as Copy-Item does, and piped files by their literal names' {
        $logs = Join-Path $TestDrive 'logs'
        New-Item -ItemType Directory $logs | Out-Null
        'a.txt', 'b.txt', 'c.log', 'x[1].txt' | ForEach-Object { Set-Content -LiteralPath (Join-Path $logs $_) -Value $_ }
        Invoke-ContainerCommand web mkdir, -p, /tmp/logs, /tmp/all
        Push-Location $logs
        try { Copy-ContainerItem ./*.txt web:/tmp/logs/ } finally { Pop-Location }
        Invoke-ContainerCommand web ls, /tmp/logs | Should -Be @('a.txt', 'b.txt', 'x[1].txt')
        Get-ChildItem -LiteralPath $logs | Copy-ContainerItem -Destination web:/tmp/all
        Invoke-ContainerCommand web ls, /tmp/all | Should -Be @('a.txt', 'b.txt', 'c.log', 'x[1].txt')
        $back = New-Item -ItemType Directory (Join-Path $TestDrive 'back')
        Copy-ContainerItem web:/tmp/all/*.log $back
        (Get-ChildItem $back).Name | Should -Be 'c.log'
        { Copy-ContainerItem web:/tmp/all/*.none $back -ErrorAction Stop } | Should -Throw -ErrorId 'ContainerPathNotFound,ContainerTools.Cmdlets.CopyContainerItemCommand'
    }

    It 'lists the processes inside, with commands started by exec' {
        Invoke-ContainerCommand web -Detach sleep, 120
        $processes = Get-ContainerProcess web
        $processes.Command | Should -Contain 'sleep 120'
        ($processes | Where-Object Pid -eq 1).Command | Should -Be 'sleep 300'
        Get-ContainerProcess web | Out-String | Should -Match 'Pid\s+HostPid\s+User\s+CPU %\s+Memory\s+Command'
    }
}
