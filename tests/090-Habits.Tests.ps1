# The habits a PowerShell user brings to every cmdlet: -WhatIf on what changes state, objects through pipelines,
# declared output types that match what a run writes, help without gaps, errors as Get-Item gives them.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:store = New-BusyboxTestStore
    $script:commands = Get-Command -Module ContainerTools -CommandType Cmdlet

    # What the store holds: images (their index), containers, volumes and networks, to compare before and after.
    function Get-StoreState {
        [pscustomobject]@{
            Images     = (Get-ContainerImage | ForEach-Object { "$($_.Id) $($_.Name)" } | Sort-Object) -join ';'
            Containers = (Get-Container | ForEach-Object { "$($_.Id) $($_.Name) $($_.Status)" } | Sort-Object) -join ';'
            Volumes    = (Get-ContainerVolume | ForEach-Object Name | Sort-Object) -join ';'
            Networks   = (Get-ContainerNetwork | ForEach-Object Name | Sort-Object) -join ';'
        } | ConvertTo-Json -Compress
    }

    # What a test made (all named habits-*), gone even when the test failed halfway.
    function Remove-HabitsLeftovers {
        Get-Container habits-* | Remove-Container -Force
        Get-ContainerVolume habits-* | Remove-ContainerVolume
        Get-ContainerNetwork habits-* | Remove-ContainerNetwork -Force
        Get-ContainerImage habits* | Remove-ContainerImage -Force
    }
}

AfterAll {
    Remove-TestStore $script:store
}

Describe 'ShouldProcess' {
    AfterEach { Remove-HabitsLeftovers }

    It 'is supported by every cmdlet that changes state or writes files' {
        # Reading, waiting and running a command in a container change nothing the cmdlet itself owns.
        $readOnly = 'Get', 'Wait', 'Enter', 'Invoke'
        $missing = $script:commands | Where-Object Verb -NotIn $readOnly | Where-Object {
            -not $_.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true)[0].SupportsShouldProcess
        } | ForEach-Object Name
        $missing | Should -BeNullOrEmpty
    }

    It 'asks at least at Medium impact before a removal' {
        $script:commands | Where-Object Verb -EQ 'Remove' | ForEach-Object {
            $_.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true)[0].ConfirmImpact |
                Should -BeGreaterOrEqual ([System.Management.Automation.ConfirmImpact]::Medium) -Because $_.Name
        }
    }

    It 'leaves a container Created under Start-Container -WhatIf' {
        New-Container busybox -Name habits-start -Network none -- true | Out-Null
        Start-Container habits-start -WhatIf
        Get-Container habits-start | Start-Container -WhatIf
        (Get-Container habits-start).Status | Should -Be 'Created'
    }

    It 'changes nothing in the store under -WhatIf for every cmdlet that adds to it' {
        New-Container busybox -Name habits-commit -Network none -- true | Out-Null
        $context = Join-Path $script:store 'context'
        New-Item -ItemType Directory $context | Out-Null
        Set-Content (Join-Path $context 'Dockerfile') "FROM busybox`nRUN touch /built"
        $before = Get-StoreState

        Import-ContainerImage (Join-Path (Split-Path (Get-ModuleUnderTest)) 'images/busybox.tar.gz') -Name habits:imported -WhatIf
        Get-Container habits-commit | ConvertTo-ContainerImage -Name habits:committed -WhatIf
        Request-ContainerImage 127.0.0.1:1/habits/never:1 -WhatIf
        Build-ContainerImage -Path $context -Tag habits:built -WhatIf
        New-Container busybox -Name habits-never -Network none -WhatIf -- true
        New-ContainerVolume habits-never -WhatIf
        New-ContainerNetwork habits-never -WhatIf
        Add-ContainerImageTag -Name busybox -Tag habits:tagged -WhatIf

        Get-StoreState | Should -Be $before
    }

    It 'changes nothing in the store under -WhatIf for every cmdlet that changes or removes' {
        New-Container busybox -Name habits-keep -Network none -- sleep 60 | Start-Container
        New-ContainerVolume habits-keep | Out-Null
        New-ContainerNetwork habits-keep -Subnet "$(Get-TestSubnetBase).0/24" | Out-Null
        $before = Get-StoreState

        Get-Container habits-keep | Stop-Container -WhatIf
        Get-Container habits-keep | Restart-Container -WhatIf
        Get-Container habits-keep | Suspend-Container -WhatIf
        Get-Container habits-keep | Rename-Container -NewName habits-renamed -WhatIf
        Get-Container habits-keep | Remove-Container -Force -WhatIf
        Get-ContainerVolume habits-keep | Remove-ContainerVolume -Force -WhatIf
        Get-ContainerNetwork habits-keep | Remove-ContainerNetwork -Force -WhatIf
        Get-ContainerImage busybox | Remove-ContainerImage -Force -WhatIf

        Get-StoreState | Should -Be $before
    }

    It 'writes no file under -WhatIf for the exports, and stores no login' {
        New-Container busybox -Name habits-export -Network none -- true | Out-Null
        $container = Join-Path $script:store 'container.tar'
        $image = Join-Path $script:store 'image.tar'
        $auth = Join-Path $script:store 'auth.json'

        Get-Container habits-export | Export-Container -Path $container -WhatIf
        Get-ContainerImage busybox | Export-ContainerImage -Path $image -WhatIf
        $credential = [pscredential]::new('user', (ConvertTo-SecureString 'secret' -AsPlainText -Force))
        Connect-ContainerRegistry -Registry 127.0.0.1:1 -Credential $credential -AuthFile $auth -WhatIf

        $container, $image, $auth | Should -Not -Exist
    }
}

Describe 'Pipelines' {
    AfterEach { Remove-HabitsLeftovers }

    It 'creates and runs containers from the images Get-ContainerImage emits' {
        $created = Get-ContainerImage busybox | New-Container -Name habits-piped -Network none -Command echo, piped
        $created.Image | Should -Be 'busybox:latest'
        Get-ContainerImage busybox | Invoke-ContainerImage -Network none -Remove -Command echo, invoked | Should -Be 'invoked'
        'busybox' | Invoke-ContainerImage -Network none -Remove -Command echo, named | Should -Be 'named'
    }

    It 'takes a name piped as a string wherever it takes the object' {
        New-ContainerNetwork habits-str -Subnet "$(Get-TestSubnetBase).0/24" | Out-Null
        New-ContainerNetwork habits-str2 -Subnet "$(Get-TestSubnetBase).0/24" | Out-Null
        New-Container busybox -Name habits-str -Network habits-str -- true | Out-Null
        $archive = Join-Path $script:store 'habits-str.tar'
        $image = Join-Path $script:store 'habits-image.tar'
        'habits-str' | Export-Container -Path $archive
        $archive | Should -Exist
        'habits-str' | ConvertTo-ContainerImage -Name habits:str | ForEach-Object Name | Should -Be 'habits:str'
        'busybox' | Add-ContainerImageTag -Tag habits:tagged
        Get-ContainerImage habits:tagged | Should -Not -BeNullOrEmpty
        'busybox' | Export-ContainerImage -Path $image
        $image | Should -Exist
        'habits-str' | Connect-ContainerNetwork -Network habits-str2
        (Get-Container habits-str).Networks | Should -Contain 'habits-str2'
        'habits-str' | Disconnect-ContainerNetwork -Network habits-str2
        (Get-Container habits-str).Networks | Should -Not -Contain 'habits-str2'
    }

    It 'takes the words after the container as the command, as docker exec does' {
        New-Container busybox -Name habits-exec -Network none -Start -- sleep 60 | Out-Null
        Invoke-ContainerCommand habits-exec echo hi there | Should -Be 'hi there'
        Invoke-ContainerCommand habits-exec -- sh -c 'echo dashed' | Should -Be 'dashed'
        Invoke-ContainerCommand habits-exec sh, -c, 'echo array' | Should -Be 'array'
        'line' | Invoke-ContainerCommand habits-exec cat | Should -Be 'line'
    }

    It 'acts on each object of a pipeline, a missing one a non-terminating error' -ForEach @(
        @{ Noun = 'ContainerVolume'; Make = { param($n) New-ContainerVolume $n | Out-Null } }
        @{ Noun = 'Container'; Make = { param($n) New-Container busybox -Name $n -Network none -- true | Out-Null } }
    ) {
        & $Make 'habits-one'
        & $Make 'habits-two'
        'habits-one', 'habits-missing', 'habits-two' | & "Remove-$Noun" -ErrorVariable failures -ErrorAction SilentlyContinue
        $? | Should -BeFalse
        $failures.Count | Should -Be 1
        $failures[0].TargetObject | Should -Be 'habits-missing'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        & "Get-$Noun" 'habits-*' | Should -BeNullOrEmpty
    }
}

Describe 'Completion' {
    AfterEach { Remove-HabitsLeftovers }

    It 'completes ids for -Id as it completes names for -Name' {
        function Complete([string] $Line) { (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText }
        $container = (New-Container busybox -Name habits-complete -Network none -- true).Id
        $image = (Get-ContainerImage busybox).Id -replace '^sha256:'
        Complete "Stop-Container -Id $($container.Substring(0, 8))" | Should -Be $container
        Complete "Get-Container -Id $($container.Substring(0, 8))" | Should -Be $container
        Complete "Remove-ContainerImage -Id $($image.Substring(0, 8))" | Should -Be $image
        Complete "Get-ContainerImageHistory -Id $($image.Substring(0, 8))" | Should -Be $image
        Complete 'Stop-Container habits-comp' | Should -Be 'habits-complete'
    }

    It 'completes a container as container: for Copy-ContainerItem, as docker cp takes it, and host paths as before' {
        # Only host files were offered: `web<Tab>` never became `web:`.
        function Complete([string] $Line) { (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText }
        $container = (New-Container busybox -Name habits-copy -Network none -- true).Id
        $hostDirectory = Join-Path $script:store 'habits-host'
        New-Item -ItemType Directory $hostDirectory | Out-Null
        New-Item -ItemType File (Join-Path $hostDirectory 'habits-copy.txt') | Out-Null
        Push-Location $hostDirectory
        try {
            Complete 'Copy-ContainerItem habits-cop' | Should -Be 'habits-copy:', './habits-copy.txt'
            Complete 'Copy-ContainerItem ./habits-copy.txt habits-cop' | Should -Be 'habits-copy:', './habits-copy.txt'
            Complete "Copy-ContainerItem -LiteralPath $($container.Substring(0, 8))" | Should -Be "${container}:"
            Complete 'Copy-ContainerItem ./habits-co' | Should -Be './habits-copy.txt'
            Complete "Copy-ContainerItem $hostDirectory/habits-co" | Should -Be (Join-Path $hostDirectory 'habits-copy.txt')
        }
        finally {
            Pop-Location
        }
    }

    It 'completes the paths inside a container, stopped or running, for Copy-ContainerItem' {
        # Past `web:` nothing was offered: the path inside had to be typed in full.
        function Complete([string] $Line) { (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText }
        $null = New-Container busybox -Name habits-inside -Network none -- sh -c 'mkdir "/tmp/my dir"; touch /tmp/a.log /tmp/b.log; exec sleep 60'
        Complete 'Copy-ContainerItem habits-inside:/et' | Should -Be 'habits-inside:/etc/'
        Complete 'Copy-ContainerItem habits-inside:/etc/passw' | Should -Be 'habits-inside:/etc/passwd'
        Complete 'Copy-ContainerItem habits-inside:' | Should -Contain 'habits-inside:/bin/'
        Start-Container habits-inside | Out-Null
        # The files the running container made itself; a name with a space comes quoted, as file completion quotes it.
        $made = { Complete 'Copy-ContainerItem habits-inside:/tmp/' }
        for ($i = 0; $i -lt 50 -and (& $made).Count -lt 3; $i++) { Start-Sleep -Milliseconds 100 }
        & $made | Should -Be 'habits-inside:/tmp/a.log', 'habits-inside:/tmp/b.log', "'habits-inside:/tmp/my dir/'"
        Complete 'Copy-ContainerItem ./x habits-inside:/tmp/*.lo' | Should -Be 'habits-inside:/tmp/a.log', 'habits-inside:/tmp/b.log'
        Complete 'Copy-ContainerItem habits-nothing:/et' | Should -BeNullOrEmpty
    }
}

Describe 'Output types' {
    AfterEach { Remove-HabitsLeftovers }

    It 'declares every type a real run writes, and each of its own types has a table view' {
        New-ContainerNetwork habits-out -Subnet "$(Get-TestSubnetBase).0/24" | Out-Null
        New-ContainerNetwork habits-join -Subnet "$(Get-TestSubnetBase).0/24" | Out-Null
        New-Container busybox -Name habits-net -Network habits-out -- true | Out-Null
        $runs = [ordered]@{
            'New-Container'             = { New-Container busybox -Name habits-out -Network none -- sh -c 'echo out; sleep 60' }
            'Start-Container'           = { Start-Container habits-out -PassThru }
            'Get-Container'             = { Get-Container habits-out }
            'Get-ContainerLog'          = { Start-Sleep -Milliseconds 300; Get-ContainerLog habits-out -Timestamps }
            'Get-ContainerProcess'      = { Get-ContainerProcess habits-out }
            'Get-ContainerStatistic'    = { Get-ContainerStatistic habits-out }
            'Invoke-ContainerCommand'   = { Invoke-ContainerCommand habits-out echo, exec }
            'Set-ContainerLimit'        = { Set-ContainerLimit habits-out -PidsLimit 50 -PassThru }
            'Suspend-Container'         = { Suspend-Container habits-out -PassThru }
            'Resume-Container'          = { Resume-Container habits-out -PassThru }
            'Rename-Container'          = { Rename-Container habits-out habits-out2 -PassThru; Rename-Container habits-out2 habits-out }
            'Restart-Container'         = { Restart-Container habits-out -Timeout 0 -PassThru }
            'Stop-Container'            = { Stop-Container habits-out -Timeout 0 -PassThru }
            'Wait-Container'            = { Wait-Container habits-out }
            'Export-Container'          = { Export-Container habits-out (Join-Path $script:store 'out.tar') }
            'ConvertTo-ContainerImage'  = { ConvertTo-ContainerImage habits-out habits:out }
            'Connect-ContainerNetwork'  = { Connect-ContainerNetwork habits-join habits-net -Alias other -PassThru }
            'Disconnect-ContainerNetwork' = { Disconnect-ContainerNetwork habits-join habits-net -PassThru }
            'Get-ContainerNetwork'      = { Get-ContainerNetwork habits-out }
            'New-ContainerNetwork'      = { New-ContainerNetwork habits-made -Subnet "$(Get-TestSubnetBase).0/24" }
            'New-ContainerVolume'       = { New-ContainerVolume habits-out }
            'Get-ContainerVolume'       = { Get-ContainerVolume habits-out }
            'Get-ContainerImage'        = { Get-ContainerImage busybox }
            'Get-ContainerImageHistory' = { Get-ContainerImageHistory busybox }
            'Add-ContainerImageTag'     = { Add-ContainerImageTag -Name busybox -Tag habits:tag -PassThru }
            'Export-ContainerImage'     = { Export-ContainerImage busybox (Join-Path $script:store 'image.tar') }
            'Import-ContainerImage'     = { Import-ContainerImage (Join-Path $script:store 'image.tar') }
            'Invoke-ContainerImage'     = { Invoke-ContainerImage busybox -Network none -Remove -- echo run
                                            Invoke-ContainerImage busybox -Network none -Remove -Detach -- true }
        }
        $wrong = foreach ($name in $runs.Keys) {
            $declared = @((Get-Command $name).OutputType.Type)
            $emitted = @(& $runs[$name] | ForEach-Object { $_.GetType() } | Select-Object -Unique)
            if ($emitted.Count -eq 0) { "$name wrote nothing" }
            foreach ($type in $emitted) {
                if ($type -notin $declared) { "$name wrote $type, declares $($declared -join ', ')" }
                if ($type.Namespace -like 'ContainerTools*') {
                    $view = (Get-FormatData -TypeName $type.FullName).FormatViewDefinition | Where-Object { $_.Control -is [System.Management.Automation.TableControl] }
                    if (-not $view) { "$type has no table view" }
                }
            }
        }
        $wrong | Should -BeNullOrEmpty
    }
}

Describe 'Help' {
    It 'has synopsis, description, an example, every parameter described, inputs and outputs for every cmdlet' {
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        $gaps = foreach ($command in $script:commands) {
            $help = Get-Help $command.Name -Full
            $text = $help | Out-String -Width 300
            if ($text -match '\{\{') { "$($command.Name): template text" }
            if (-not $help.Synopsis -or $help.Synopsis.Trim().StartsWith($command.Name)) { "$($command.Name): no synopsis" }
            if (-not ($help.description.Text -join '').Trim()) { "$($command.Name): no description" }
            # platyPS 1.0 writes an example's code and text into its introduction.
            if (-not @($help.examples.example | Where-Object { "$($_.introduction.Text)$($_.code)".Trim() })) { "$($command.Name): no example" }
            if (-not @($help.inputTypes.inputType.type.name | Where-Object { $_ })) { "$($command.Name): no inputs" }
            if (-not @($help.returnValues.returnValue.type.name | Where-Object { $_ })) { "$($command.Name): no outputs" }
            $described = @($help.parameters.parameter | Where-Object { ($_.description.Text -join '').Trim() } | ForEach-Object name)
            foreach ($parameter in $command.Parameters.Keys | Where-Object { $_ -notin $common }) {
                if ($parameter -notin $described) { "$($command.Name) -${parameter}: not described" }
            }
        }
        $gaps | Should -BeNullOrEmpty
    }
}

Describe 'Errors' {
    AfterEach { Remove-HabitsLeftovers }

    It 'takes -Status and -Dangling as filters: a name they leave out exists, and is no error' {
        New-Container busybox -Name habits-filtered -Network none -- true | Out-Null
        Get-Container habits-filtered -Status Running -ErrorVariable containerFailure | Should -BeNullOrEmpty
        $containerFailure | Should -BeNullOrEmpty
        (Get-Container habits-filtered -Status Created).Name | Should -Be 'habits-filtered'
        Get-ContainerImage busybox -Dangling -ErrorVariable imageFailure | Should -BeNullOrEmpty
        $imageFailure | Should -BeNullOrEmpty
        Get-Container habits-nothing -Status Running -ErrorAction SilentlyContinue -ErrorVariable missing
        $missing[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'names the file as the target of a failure to write it' {
        New-Container busybox -Name habits-unwritable -Network none -- true | Out-Null
        Export-Container habits-unwritable -Path /proc/habits-container.tar -ErrorAction SilentlyContinue -ErrorVariable container
        $container.Count | Should -Be 1
        $container[0].TargetObject | Should -Be '/proc/habits-container.tar'
        Export-ContainerImage busybox -Path /proc/habits-image.tar -ErrorAction SilentlyContinue -ErrorVariable image
        $image.Count | Should -Be 1
        $image[0].TargetObject | Should -Be '/proc/habits-image.tar'
    }

    It 'makes a missing exact name an ObjectNotFound error naming it, and a wildcard that matches nothing silent' -ForEach @(
        @{ Command = 'Get-Container' }, @{ Command = 'Get-ContainerImage' }, @{ Command = 'Get-ContainerVolume' },
        @{ Command = 'Get-ContainerNetwork' }, @{ Command = 'Get-ContainerStatistic' }, @{ Command = 'Get-ContainerProcess' },
        @{ Command = 'Get-ContainerLog' }
    ) {
        & $Command 'habits-nothing*' -ErrorVariable none | Should -BeNullOrEmpty
        $none | Should -BeNullOrEmpty
        & $Command 'habits-nothing' -ErrorVariable failure -ErrorAction SilentlyContinue
        $? | Should -BeFalse
        $failure[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failure[0].TargetObject | Should -Be 'habits-nothing'
        $failure[0].FullyQualifiedErrorId | Should -Match '^\w+NotFound,ContainerTools\.Cmdlets\.'
        { & $Command 'habits-nothing' -ErrorAction Stop } | Should -Throw -ErrorId "*NotFound,ContainerTools.Cmdlets.*"
    }

    It 'lists the processes of every container a wildcard matches, and refuses one that matches several for the log' {
        # Both took 'web*' for a container's exact name: ContainerNotFound, where Get-Process -Name takes wildcards.
        New-Container busybox -Name habits-wild1 -Network none -Start -- sh -c 'echo one; sleep 60' | Out-Null
        New-Container busybox -Name habits-wild2 -Network none -Start -- sh -c 'echo two; sleep 60' | Out-Null
        New-Container busybox -Name habits-wild3 -Network none -- true | Out-Null
        # The one that does not run has no processes: no error for it, and the others listed all the same.
        $processes = Get-ContainerProcess 'habits-wild*' -ErrorVariable stopped
        $stopped | Should -BeNullOrEmpty
        $processes.ContainerName | Sort-Object | Should -Be 'habits-wild1', 'habits-wild2'
        (Get-ContainerProcess habits-wild1).ContainerName | Should -Be 'habits-wild1'
        Get-ContainerLog 'habits-wild[12]' -ErrorVariable several -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $several.Count | Should -Be 1
        $several[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $several[0].TargetObject | Should -Be 'habits-wild[12]'
        $several[0].Exception.Message | Should -Match 'habits-wild1'
        $deadline = (Get-Date).AddSeconds(10)
        while (-not (Get-ContainerLog habits-wild2) -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Get-ContainerLog 'habits-wild2*' | Should -Be 'two'
    }
}
