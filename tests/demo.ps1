# The main job end to end on the embedded default image (./build.sh demo). Uses a throwaway store.
$ErrorActionPreference = 'Stop'
$module = if ($env:CONTAINERTOOLS_MODULE) { $env:CONTAINERTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/ContainerTools' }
Import-Module (Join-Path $module 'ContainerTools.psd1')
# Container tables are as wide as `docker ps`: render them at 160 columns whatever the terminal is.
function Show { $input | Out-String -Width 160 | Write-Host }
# A throwaway store; removing it also removes what the engine made on the host for it (the bridge of its default
# network, which a build's RUN step uses, stays otherwise, as docker0 does).
Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1')
$store = New-TestStore -Prefix demo
try {
    Write-Host "== Import-ContainerImage (the embedded busybox image) into $ContainerToolsRoot"
    Import-ContainerImage -Path (Join-Path $module 'images/busybox.tar.gz') -Name busybox:latest | Format-Table
    Write-Host '== Get-ContainerImage'
    Get-ContainerImage | Format-Table

    Write-Host '== Invoke-ContainerImage: a command as PID 1 in its own namespaces, output to the pipeline'
    Invoke-ContainerImage busybox -Remove -Network none -- sh -c 'echo "hello from $(hostname), I am PID $$"'
    Write-Host '== New-Container -Start: a web server on a network of its own, limited, published on 127.0.0.1:18080'
    New-ContainerNetwork -Name demo-net | Format-Table
    New-Container busybox -Name demo-web -Network demo-net -NetworkAlias www -Publish 127.0.0.1:18080:80 -Memory 64MB -Cpus 0.5 -Start -- `
        sh -c 'echo "<h1>hello from $(hostname)</h1>" > /var/www/index.html; echo serving; exec httpd -f -p 80 -h /var/www' | Show
    Write-Host '== Get-Container'
    Get-Container | Show
    Write-Host '== Another container reaches it by its alias; the host through the published port'
    Invoke-ContainerImage busybox -Network demo-net -Remove -- sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://www/ && exit 0; sleep 0.3; done; exit 1'
    (Invoke-WebRequest http://127.0.0.1:18080/ -UseBasicParsing).Content
    Write-Host '== Invoke-ContainerCommand (exec), Get-ContainerProcess, Get-ContainerStatistic, Get-ContainerLog'
    Invoke-ContainerCommand demo-web cat, /etc/hostname
    Get-ContainerProcess demo-web | Format-Table
    Get-ContainerStatistic demo-web | Format-Table
    Get-ContainerLog demo-web
    Write-Host '== Build-ContainerImage from a Dockerfile, then run it'
    $context = Join-Path $ContainerToolsRoot 'build-context'
    New-Item -ItemType Directory -Path $context -Force | Out-Null
    Set-Content -Path (Join-Path $context 'Dockerfile') -Value "FROM busybox`nRUN echo 'built by ContainerTools' > /built`nCMD [""cat"", ""/built""]"
    Build-ContainerImage -Path $context -Tag demo-app:1 | Format-Table
    Invoke-ContainerImage demo-app:1 -Remove -Network none
    Write-Host '== Stop-Container, then Remove-Container'
    Stop-Container demo-web -Timeout 2 -PassThru | Show
    Remove-Container demo-web
    Remove-ContainerNetwork demo-net
    Get-Container | Show
}
finally {
    Remove-TestStore $store
}
