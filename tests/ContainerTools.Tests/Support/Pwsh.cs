using System.Diagnostics;

namespace ContainerTools.Tests.Support;

/// <summary>A real pwsh process (from PATH) running a script against the built module and a test store.</summary>
public static class Pwsh
{
    public static string? Executable { get; } =
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "pwsh")).FirstOrDefault(File.Exists);

    /// <summary>The pwsh executable; the test is skipped when there is none.</summary>
    public static string Required()
    {
        Assert.SkipWhen(Executable is null, "pwsh is not on PATH (build.sh puts it there): this test needs a second PowerShell process");
        return Executable!;
    }

    /// <summary>Starts pwsh on the script; the store's variables and the module are set up first.</summary>
    public static Process Start(TestStore store, string script)
    {
        string file = ScriptFile(store, script);
        var start = new ProcessStartInfo(Executable!) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in new[] { "-NoProfile", "-NonInteractive", "-File", file })
            start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }

    /// <summary>A script file that sets up the module and the store's variables, then runs <paramref name="script"/>.</summary>
    public static string ScriptFile(TestStore store, string script)
    {
        Required();
        string file = Path.Combine(store.Scratch("pwsh"), Guid.NewGuid().ToString("N") + ".ps1");
        File.WriteAllText(file, $"""
            $ErrorActionPreference = 'Stop'
            Import-Module '{Repository.ModuleManifest}'
            $ContainerToolsRoot = '{store.Location.Root}'
            $ContainerToolsRunRoot = '{store.Location.RunRoot}'
            {script}
            """);
        return file;
    }

    /// <summary>Runs the script to its end; fails the test with its output when pwsh exits non-zero.</summary>
    public static string Run(TestStore store, string script)
    {
        using var process = Start(store, script);
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"pwsh exited {process.ExitCode}: {stderr.Result}\n{stdout}");
        return stdout;
    }
}
