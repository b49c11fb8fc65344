<#
.SYNOPSIS
    Builds en-US/ContainerTools.dll-Help.xml (MAML) from the cmdlet markdown in this folder, with platyPS 1.0.
.DESCRIPTION
    A cmdlet without a markdown file gets one generated from its signature; a file whose parameters drifted
    is updated. Template text left in any file ("{{ Fill ...") fails the build: every cmdlet's help is
    written by a person.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutputPath
)
$ErrorActionPreference = 'Stop'
Import-Module Microsoft.PowerShell.PlatyPS
$module = Import-Module (Join-Path $ModulePath 'ContainerTools.psd1') -PassThru -Force
$helpFolder = $PSScriptRoot

foreach ($command in Get-Command -Module $module.Name -CommandType Cmdlet) {
    $file = Join-Path $helpFolder "$($command.Name).md"
    if (Test-Path $file) {
        # Only a file whose parameters drifted is updated: platyPS 1.0 repeats descriptions on every update.
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        $expected = $command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object
        $written = Select-String -Path $file -Pattern '^### -(\w+)$' | ForEach-Object { $_.Matches[0].Groups[1].Value } |
            Where-Object { $_ -notin $common } | Sort-Object
        if (Compare-Object @($expected) @($written)) {
            # platyPS refuses to update a file whose related links it cannot parse; such a file is kept as written.
            try { Update-MarkdownCommandHelp -Path $file -NoBackup | Out-Null }
            catch { Write-Warning "not updated ${file}: $_" }
        }
    }
    else {
        $temp = Join-Path ([IO.Path]::GetTempPath()) ([guid]::NewGuid())
        New-MarkdownCommandHelp -CommandInfo $command -OutputFolder $temp -Force | Out-Null
        Move-Item (Get-ChildItem $temp -Recurse -Filter "$($command.Name).md").FullName $file
        Remove-Item $temp -Recurse -Force
        Write-Warning "generated ${file}: fill in its synopsis, description, examples and parameters"
    }
}

$unfinished = Get-ChildItem $helpFolder -Filter *.md | Select-String -SimpleMatch '{{ Fill', '{{Fill', '{{ Add example'
if ($unfinished) {
    $unfinished | ForEach-Object { Write-Warning "$($_.Path):$($_.LineNumber): $($_.Line.Trim())" }
    throw 'help markdown still holds template text'
}

$maml = Join-Path ([IO.Path]::GetTempPath()) ([guid]::NewGuid())
Get-ChildItem $helpFolder -Filter *.md | Import-MarkdownCommandHelp | Export-MamlCommandHelp -OutputFolder $maml -Force | Out-Null
$xml = Get-ChildItem $maml -Recurse -Filter *.xml | Select-Object -First 1
Copy-Item $xml.FullName (Join-Path $OutputPath 'ContainerTools.dll-Help.xml') -Force
Remove-Item $maml -Recurse -Force
Write-Host "wrote $(Join-Path $OutputPath 'ContainerTools.dll-Help.xml')"
