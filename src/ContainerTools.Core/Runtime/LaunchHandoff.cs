using ContainerTools.Core.Containers;
using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// What the launcher does for a monitor, in the ~3 ms a fresh monitor's runtime takes to start (a spare's is up
/// already): it makes the container's cgroup, then says so with one byte on the monitor's stdin that also carries the two facts of the record the
/// init's start needs. The monitor then starts the init at once and reads the record (~1 ms of JSON) while the
/// init starts. EOF without the byte (the launcher failed, or died) leaves all of it to the monitor.
/// </summary>
public sealed record LaunchHandoff(bool SharesHostNetwork, bool UserNamespace)
{
    private const byte CgroupMade = 1;
    private const byte HostNetwork = 2;
    private const byte WithUserNamespace = 4;

    public static LaunchHandoff Of(ContainerRecord record) => new(record.Network.SharesHostNetwork, record.UserNamespace is not null);

    /// <summary>The namespaces the init is started in.</summary>
    public int Namespaces => SharesHostNetwork ? InitProcess.Namespaces & ~Linux.CLONE_NEWNET : InitProcess.Namespaces;

    /// <summary>
    /// In the launcher: makes the cgroup with the record's limits (from <paramref name="spareGroup"/>, renamed, when
    /// given: see <see cref="SpareCgroup"/>) and sends the byte; a failure sends nothing. A spare group not renamed is removed.
    /// </summary>
    public static void Send(Stream monitorInput, ContainerRecord record, string? spareGroup = null)
    {
        bool renamed = false;
        try
        {
            var driver = Cgroups.Detect();
            string path = Cgroups.PathFor(record.Id);
            renamed = spareGroup is not null && driver.Rename(spareGroup, path, record.Limits, record.Privileged) is not null;
            if (!renamed)
                driver.Create(path, record.Limits, record.Privileged);
        }
        catch (Exception e) when (e is IOException or EngineException or UnauthorizedAccessException)
        {
            // The monitor makes it again and reports the error as the start's.
            return;
        }
        finally
        {
            if (!renamed)
                SpareCgroup.Delete(spareGroup);
        }
        var handoff = Of(record);
        monitorInput.WriteByte((byte)(CgroupMade | (handoff.SharesHostNetwork ? HostNetwork : 0) | (handoff.UserNamespace ? WithUserNamespace : 0)));
    }

    /// <summary>In the monitor: what the launcher sent on <paramref name="fd"/>, or null when it made nothing. Closes it.</summary>
    public static LaunchHandoff? Receive(int fd)
    {
        if (fd < 0)
            return null;
        Span<byte> received = stackalloc byte[1];
        bool read = Linux.ReadExactly(fd, received);
        Linux.close(fd);
        if (!read || (received[0] & CgroupMade) == 0)
            return null;
        return new LaunchHandoff((received[0] & HostNetwork) != 0, (received[0] & WithUserNamespace) != 0);
    }
}
