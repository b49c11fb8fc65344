namespace ContainerTools.Core.Registry;

/// <summary>When commands that need an image (New-Container, Invoke-ContainerImage) pull it.</summary>
public enum PullPolicy
{
    /// <summary>Pull only when the store has no image of that name (the default, as Docker and Podman do).</summary>
    Missing,
    /// <summary>Always ask the registry; blobs already stored are not downloaded again.</summary>
    Always,
    /// <summary>Never contact a registry; a missing image is an error.</summary>
    Never,
}
