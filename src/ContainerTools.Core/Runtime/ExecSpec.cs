namespace ContainerTools.Core.Runtime;

/// <summary>
/// The process an exec becomes: the container's own (capabilities, no_new_privs, env, user, cwd) with the
/// exec's command, and its -User, -Environment and -WorkingDirectory where given, as `docker exec` does.
/// </summary>
public static class ExecSpec
{
    public static RuntimeSpec For(RuntimeSpec container, ExecOptions options)
    {
        if (options.Command.Count == 0 || string.IsNullOrEmpty(options.Command[0]))
            throw new EngineException("NoCommand", ErrorKind.InvalidArgument, null, "no command was given to run in the container");
        // execve ends each string at its first NUL: the command would run with its arguments silently cut.
        if (options.Command.FirstOrDefault(arg => arg.Contains('\0')) is { } cut)
            throw new EngineException("InvalidCommandArgument", ErrorKind.InvalidArgument, cut, "an argument of the command holds a NUL character, which no program can be given");
        var process = container.Process with
        {
            Args = options.Command.ToList(),
            Env = Merge(container.Process.Env, options.Environment),
            Cwd = string.IsNullOrEmpty(options.WorkingDirectory) ? container.Process.Cwd : options.WorkingDirectory,
        };
        if (!process.Cwd.StartsWith('/'))
            throw new EngineException("InvalidWorkingDirectory", ErrorKind.InvalidArgument, process.Cwd, $"the working directory '{process.Cwd}' is not an absolute path");
        var annotations = new Dictionary<string, string>(container.Annotations);
        if (options.User is { } user)
        {
            var (uid, gid, name) = SpecBuilder.ParseUser(user);
            process = process with { User = new SpecUser { Uid = uid, Gid = gid } };
            annotations.Remove(SpecAnnotations.UserName);
            if (name is not null)
                annotations[SpecAnnotations.UserName] = name;
        }
        return container with { Process = process, Annotations = annotations };
    }

    private static List<string> Merge(List<string> env, IReadOnlyDictionary<string, string>? overrides)
    {
        var merged = env.ToList();
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            if (key.Length == 0 || key.Contains('=') || key.Contains('\0'))
                throw new EngineException("InvalidEnvironmentName", ErrorKind.InvalidArgument, key, $"'{key}' is not an environment variable name");
            if (value.Contains('\0'))
                throw new EngineException("InvalidEnvironmentValue", ErrorKind.InvalidArgument, key, $"the value of {key} holds a NUL character, which no environment can");
            merged.RemoveAll(e => e.StartsWith(key + "=", StringComparison.Ordinal));
            merged.Add(key + "=" + value);
        }
        return merged;
    }
}
