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
}
finally {
    Remove-Item -Recurse -Force $ContainerToolsRoot -ErrorAction Ignore
}
