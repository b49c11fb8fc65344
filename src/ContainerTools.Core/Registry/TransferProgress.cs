namespace ContainerTools.Core.Registry;

/// <summary>What happens to one blob of a pull or push: its place in the image, bytes moved of its size, and its state.</summary>
public sealed record TransferProgress(int Slot, int Count, string Digest, long Bytes, long Size, TransferState State);

public enum TransferState
{
    Waiting,
    Downloading,
    Uploading,
    /// <summary>The store (pull) or the registry repository (push) has the blob already.</summary>
    Exists,
    /// <summary>Push: the registry linked the blob from another repository instead of an upload.</summary>
    Mounted,
    Done,
}
