namespace ContainerTools.Core.Images;

/// <summary>
/// Who uses an image: the container store implements it, so removing an image can refuse while containers
/// still need its layers (the image store knows nothing of containers).
/// </summary>
public interface IImageUsers
{
    /// <summary>Names or ids of the containers made from the image with config digest <paramref name="imageId"/>.</summary>
    IReadOnlyList<string> ContainersUsing(string imageId);
}
