# Registries from a real pwsh: push to and pull from Debian's docker-registry on 127.0.0.1, as a user would.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $manifest = Get-ModuleUnderTest
    Import-Module $manifest -Force
    $store = New-TestStore
    $global:ContainerToolsAuthFile = Join-Path $store 'auth.json'

    # A free port, then the registry with its config and storage inside the store (Remove-TestStore kills it).
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $registry = "127.0.0.1:$port"
    @"
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $store/registry
http:
  addr: $registry
"@ | Set-Content "$store/registry.yml"
    $process = Start-Process /usr/bin/docker-registry -ArgumentList 'serve', "$store/registry.yml" -PassThru -RedirectStandardError "$store/registry.log"
    $deadline = [DateTime]::UtcNow.AddSeconds(20)
    do {
        Start-Sleep -Milliseconds 100
        $up = try { (Invoke-WebRequest "http://$registry/v2/" -SkipHttpErrorCheck).StatusCode -eq 200 } catch { $false }
    } until ($up -or [DateTime]::UtcNow -gt $deadline)

    $name = "$registry/pester/busybox:1"
    Import-ContainerImage -Path (Join-Path (Split-Path $manifest) 'images/busybox.tar.gz') -Name $name | Out-Null
}

AfterAll {
    if ($process) { Stop-Process -Id $process.Id -Force -ErrorAction Ignore }
    Remove-Variable -Name ContainerToolsAuthFile -Scope Global -ErrorAction Ignore
    Remove-TestStore $store
}

Describe 'Publish-ContainerImage and Request-ContainerImage' {
    It 'pushes an image from the pipeline, and pulls it back with the same id after it was removed' {
        $image = Get-ContainerImage -Name $name
        $pushed = $image | Publish-ContainerImage
        $pushed.Digest | Should -Be $image.ManifestDigest
        $pushed.Uploaded | Should -Be 2

        Remove-ContainerImage -Name $name -Confirm:$false
        Get-ContainerImage -Name $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

        $pulled = Request-ContainerImage $name
        $pulled.Id | Should -Be $image.Id
        (Get-ContainerImage -Name $name).ManifestDigest | Should -Be $image.ManifestDigest
    }

    It 'pushes nothing twice and mounts blobs into another repository' {
        $again = Publish-ContainerImage $name
        $again.Existing | Should -Be 2
        $copy = Publish-ContainerImage $name -Destination "$registry/pester/copy:1"
        $copy.Mounted | Should -Be 2
        ($copy | Out-String) | Should -Match 'Mounted'
    }

    It 'reports a registry that is down as a connection error, and goes on with the next name' {
        $null = Request-ContainerImage "127.0.0.1:1/nothing/here:1", $name -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'RegistryUnreachable,*'
    }
}

Describe 'Connect-ContainerRegistry and Disconnect-ContainerRegistry' {
    It 'stores a login in the containers-auth.json format and removes it' {
        $credential = [pscredential]::new('pester', (ConvertTo-SecureString 'secret' -AsPlainText -Force))
        $login = Connect-ContainerRegistry $registry -Credential $credential
        $login.AuthFile | Should -Be $ContainerToolsAuthFile
        $auths = (Get-Content $ContainerToolsAuthFile -Raw | ConvertFrom-Json -AsHashtable).auths
        [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($auths[$registry].auth)) | Should -Be 'pester:secret'

        Disconnect-ContainerRegistry $registry
        (Get-Content $ContainerToolsAuthFile -Raw | ConvertFrom-Json -AsHashtable).auths.Keys | Should -Not -Contain $registry
    }
}
