using System.Diagnostics;

namespace ContainerTools.Tests.Support;

/// <summary>Fixture root file systems made from Debian's busybox-static, never checked-in binaries.</summary>
public static class Busybox
{
    public const string Binary = "/bin/busybox";

    /// <summary>
    /// Writes a minimal root file system into <paramref name="rootfs"/> with tests/fixtures/busybox-rootfs.sh
    /// (the script that also makes the embedded default image), plus an unprivileged user "app" (1000:1000).
    /// </summary>
    public static string CreateRootfs(string rootfs)
    {
        Tool.Run(Path.Combine(Repository.Root, "tests", "fixtures", "busybox-rootfs.sh"), rootfs);
        File.AppendAllText(Path.Combine(rootfs, "etc", "passwd"), "app:x:1000:1000:app:/home:/bin/sh\n");
        File.AppendAllText(Path.Combine(rootfs, "etc", "group"), "app:x:1000:\n");
        return rootfs;
    }

    /// <summary>A gzip tarball of a busybox root file system (what `docker import` takes), made with tar.</summary>
    public static string CreateRootfsTarball(string scratch, string name = "busybox.tar.gz")
    {
        string rootfs = CreateRootfs(Path.Combine(scratch, Path.GetFileNameWithoutExtension(name) + "-rootfs"));
        string tarball = Path.Combine(scratch, name);
        Tool.Run("tar", "--numeric-owner", "--owner=0", "--group=0", "-C", rootfs, "-czf", tarball, ".");
        return tarball;
    }

    /// <summary>
    /// A session on <paramref name="store"/> whose busybox:latest is imported from <see cref="CreateRootfsTarball"/>
    /// (a store that holds an image already, so "as it was" is not just "empty"); disposed by the caller.
    /// </summary>
    public static PowerShellSession Session(TestStore store)
    {
        var ps = new PowerShellSession(store);
        try
        {
            ps.Run($"Import-ContainerImage -Path '{CreateRootfsTarball(store.Scratch("busybox"))}' -Name busybox:latest");
            return ps;
        }
        catch
        {
            ps.Dispose();
            throw;
        }
    }
}

/// <summary>Runs fixture tools (tar, skopeo, umoci, ...) and fails the test with their output when they fail.</summary>
public static class Tool
{
    public static string Run(string file, params string[] args) => Run(file, args, stdin: null);

    public static string Run(string file, IEnumerable<string> args, string? stdin)
    {
        var result = TryRun(file, args, stdin);
        if (result.ExitCode != 0)
            throw new Xunit.Sdk.XunitException($"{file} {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}{result.Stdout}");
        return result.Stdout;
    }

    public static (int ExitCode, string Stdout, string Stderr) TryRun(string file, IEnumerable<string> args, string? stdin = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    public static bool Exists(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, name)));
}
