using System.Management.Automation;
using ContainerTools.Core.Registry;

namespace ContainerTools;

/// <summary>
/// Base of the cmdlets that talk to a registry: the transport and login parameters they share, the options
/// made from them, and progress of transfers.
/// </summary>
public abstract class RegistryCmdlet : ContainerToolsCmdlet
{
    /// <summary>Credentials for this call only; without them the auth file's login for the registry is used. Connect-ContainerRegistry overrides it to require one.</summary>
    [Parameter]
    [Credential]
    public virtual PSCredential? Credential { get; set; }

    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    [Parameter]
    public SwitchParameter AllowHttp { get; set; }

    [Parameter]
    public string? AuthFile { get; set; }

    protected RegistryOptions Options => new()
    {
        Credential = Credential is null ? null : new RegistryCredential(Credential.UserName, Credential.GetNetworkCredential().Password),
        SkipCertificateCheck = SkipCertificateCheck,
        AllowHttp = AllowHttp,
        AuthFile = AuthFiles.Resolve(this, AuthFile),
    };

    /// <summary>Writes one blob's transfer as its own progress bar under the cmdlet's.</summary>
    protected void WriteTransfer(string activity, TransferProgress p)
    {
        var record = new ProgressRecord(p.Slot + 1, activity, $"{Short(p.Digest)}: {p.State}")
        {
            ParentActivityId = 0,
            PercentComplete = p.Size > 0 ? (int)Math.Clamp(p.Bytes * 100 / p.Size, 0, 100) : -1,
        };
        if (p.State is TransferState.Done or TransferState.Exists or TransferState.Mounted)
            record.RecordType = ProgressRecordType.Completed;
        WriteProgress(record);
    }

    private static string Short(string digest) => Core.Images.Digest.Short(digest);
}
