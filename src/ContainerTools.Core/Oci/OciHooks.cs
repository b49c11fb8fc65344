using System.Diagnostics;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Oci;

/// <summary>Runs OCI hooks in the runtime's namespaces: the state JSON on stdin, the hook's own args and env, its timeout.</summary>
public static class OciHooks
{
    /// <summary>Runs each hook in order; the first that fails (non-zero, killed, timed out) throws.</summary>
    public static void Run(string stage, IEnumerable<SpecHook>? hooks, OciState state)
    {
        foreach (var hook in hooks ?? [])
            RunOne(stage, hook, state);
    }

    private static void RunOne(string stage, SpecHook hook, OciState state)
    {
        var start = new ProcessStartInfo(hook.Path) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardError = true };
        // args[0] is the hook's argv[0], which Process cannot set: the rest are its arguments.
        foreach (var arg in (hook.Args ?? []).Skip(1))
            start.ArgumentList.Add(arg);
        start.Environment.Clear();
        foreach (var variable in hook.Env ?? [])
        {
            int equals = variable.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
                start.Environment[variable[..equals]] = variable[(equals + 1)..];
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new EngineException("HookFailed", ErrorKind.InvalidOperation, hook.Path, $"{stage} hook {hook.Path}: {e.Message}");
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            try
            {
                process.StandardInput.BaseStream.Write(state.ToJson());
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // A hook need not read its stdin.
            }
            if (!process.WaitForExit(hook.Timeout is > 0 ? hook.Timeout.Value * 1000 : Timeout.Infinite))
            {
                process.Kill();
                throw new EngineException("HookTimedOut", ErrorKind.ResourceBusy, hook.Path, $"{stage} hook {hook.Path} timed out after {hook.Timeout} s");
            }
            if (process.ExitCode != 0)
                throw new EngineException("HookFailed", ErrorKind.InvalidOperation, hook.Path,
                    $"{stage} hook {hook.Path} exited with {process.ExitCode}: {stderr.Result.Trim()}");
        }
    }
}
