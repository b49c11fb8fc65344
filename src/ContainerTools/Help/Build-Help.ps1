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
        # platyPS refuses to update a file whose related links it cannot parse; such a file is kept as written.
        try { Update-MarkdownCommandHelp -Path $file | Out-Null }
        catch { Write-Warning "not updated ${file}: $_" }
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
