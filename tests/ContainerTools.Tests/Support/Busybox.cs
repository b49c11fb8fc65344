using System.Diagnostics;

namespace ContainerTools.Tests.Support;

/// <summary>Fixture root file systems made from Debian's busybox-static, never checked-in binaries.</summary>
public static class Busybox
{
    public const string Binary = "/bin/busybox";

    /// <summary>Writes a minimal root file system into <paramref name="rootfs"/>: busybox, its applet links, /etc/passwd and group.</summary>
    public static string CreateRootfs(string rootfs)
    {
        foreach (var dir in new[] { "bin", "etc", "root", "tmp", "proc", "sys", "dev", "home", "var/www", "usr/bin" })
            Directory.CreateDirectory(Path.Combine(rootfs, dir));
        File.Copy(Binary, Path.Combine(rootfs, "bin", "busybox"), overwrite: true);
        foreach (var applet in Applets.Value)
        {
            string link = Path.Combine(rootfs, "bin", applet);
            if (applet != "busybox" && !File.Exists(link))
                File.CreateSymbolicLink(link, "busybox");
        }
        File.WriteAllText(Path.Combine(rootfs, "etc", "passwd"),
            "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\napp:x:1000:1000:app:/home:/bin/sh\n");
        File.WriteAllText(Path.Combine(rootfs, "etc", "group"), "root:x:0:\napp:x:1000:\nnogroup:x:65534:\n");
        File.SetUnixFileMode(Path.Combine(rootfs, "tmp"), (UnixFileMode)0x3FF /* 1777 */);
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

    private static readonly Lazy<string[]> Applets = new(() =>
        Tool.Run(Binary, "--list").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
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
