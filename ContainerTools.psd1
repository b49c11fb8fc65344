@{
    RootModule           = 'ContainerTools.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f1d7c2e-3b8a-4c55-9e0d-2a7f4b9c1e63'
    Author               = 'The ContainerTools developers'
    CompanyName          = 'ContainerTools'
    Copyright            = '(c) The ContainerTools developers. MIT License.'
    Description          = 'Runs and manages Linux containers natively from PowerShell: its own isolation core (namespaces, cgroups, overlay root), OCI images, registries, networks and builds, with no Docker or Podman underneath.'
    PowerShellVersion    = '7.6'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @(
        'formats/ContainerTools.Image.Format.ps1xml'
        'formats/ContainerTools.Container.Format.ps1xml'
        'formats/ContainerTools.Process.Format.ps1xml'
        'formats/ContainerTools.Network.Format.ps1xml'
        'formats/ContainerTools.Statistics.Format.ps1xml'
        'formats/ContainerTools.Registry.Format.ps1xml'
        'formats/ContainerTools.Volume.Format.ps1xml'
    )
    CmdletsToExport      = @(
        'Enter-Container'
        'Import-ContainerImage'
        'Get-ContainerImage'
        'Get-ContainerImageHistory'
        'Add-ContainerImageTag'
        'Remove-ContainerImage'
        'Export-ContainerImage'
        'New-Container'
        'Start-Container'
        'Stop-Container'
        'Restart-Container'
        'Remove-Container'
        'Rename-Container'
        'Wait-Container'
        'Get-Container'
        'Get-ContainerLog'
        'Invoke-ContainerImage'
        'Invoke-ContainerCommand'
        'Get-ContainerProcess'
        'Copy-ContainerItem'
        'Export-Container'
        'New-ContainerNetwork'
        'Get-ContainerNetwork'
        'Remove-ContainerNetwork'
        'Connect-ContainerNetwork'
        'Disconnect-ContainerNetwork'
        'New-ContainerVolume'
        'Get-ContainerVolume'
        'Remove-ContainerVolume'
        'Build-ContainerImage'
        'ConvertTo-ContainerImage'
        'Set-ContainerLimit'
        'Get-ContainerStatistic'
        'Suspend-Container'
        'Resume-Container'
        'Request-ContainerImage'
        'Publish-ContainerImage'
        'Connect-ContainerRegistry'
        'Disconnect-ContainerRegistry'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Containers', 'OCI', 'Linux', 'Namespaces', 'cgroups')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
