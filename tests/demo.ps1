# The main job end to end on the embedded default image (./build.sh demo). Uses a throwaway store.
$ErrorActionPreference = 'Stop'
$module = if ($env:CONTAINERTOOLS_MODULE) { $env:CONTAINERTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/ContainerTools' }
Import-Module (Join-Path $module 'ContainerTools.psd1')
$ContainerToolsRoot = Join-Path ([IO.Path]::GetTempPath()) "containertools-demo-$PID"
try {
    Write-Host "== Import-ContainerImage (the embedded busybox image) into $ContainerToolsRoot"
    Import-ContainerImage -Path (Join-Path $module 'images/busybox.tar.gz') -Name busybox:latest | Format-Table
    Write-Host '== Get-ContainerImage'
    Get-ContainerImage | Format-Table

    Write-Host '== Invoke-ContainerImage: a command as PID 1 in its own namespaces, output to the pipeline'
    Invoke-ContainerImage busybox -Remove -- sh -c 'echo "hello from $(hostname), I am PID $$"'
    Write-Host '== New-Container -Start: a container that keeps running after this session'
    New-Container busybox -Name demo-web -Start -- sh -c 'echo serving; exec httpd -f -p 8080' | Format-Table
    Write-Host '== Get-Container'
    Get-Container | Format-Table
    Write-Host '== Get-ContainerLog demo-web'
    Get-ContainerLog demo-web
    Write-Host '== Stop-Container, then Remove-Container'
    Stop-Container demo-web -Timeout 2 -PassThru | Format-Table
    Remove-Container demo-web
    Get-Container | Format-Table
}
finally {
    Get-Container -ErrorAction Ignore | Remove-Container -Force -ErrorAction Ignore
    Remove-Item -Recurse -Force $ContainerToolsRoot -ErrorAction Ignore
}
