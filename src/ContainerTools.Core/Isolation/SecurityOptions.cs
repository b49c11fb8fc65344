namespace ContainerTools.Core.Isolation;

/// <summary>
/// -SecurityOption values as docker run --security-opt takes them: "seccomp=unconfined", "seccomp=&lt;profile.json&gt;",
/// "no-new-privileges[=true|false]" (":" works in place of "=", as in old Docker).
/// </summary>
public sealed record SecurityOptions(bool SeccompUnconfined, string? SeccompProfilePath, bool? NoNewPrivileges)
{
    public static readonly SecurityOptions None = new(false, null, null);

    /// <exception cref="EngineException">InvalidSecurityOption (InvalidArgument) for anything else.</exception>
    public static SecurityOptions Parse(IEnumerable<string>? options)
    {
        var result = None;
        foreach (string option in options ?? [])
        {
            int separator = option.IndexOfAny(['=', ':']);
            string key = (separator < 0 ? option : option[..separator]).Trim();
            string? value = separator < 0 ? null : option[(separator + 1)..].Trim();
            result = key.ToLowerInvariant() switch
            {
                "seccomp" when string.IsNullOrEmpty(value) => throw Invalid(option, "seccomp needs a value: seccomp=unconfined or seccomp=<profile.json>"),
                "seccomp" when value.Equals("unconfined", StringComparison.OrdinalIgnoreCase) => result with { SeccompUnconfined = true, SeccompProfilePath = null },
                "seccomp" => result with { SeccompUnconfined = false, SeccompProfilePath = value },
                "no-new-privileges" => result with { NoNewPrivileges = ParseSwitch(option, value) },
                _ => throw Invalid(option, $"'{key}' is not supported; this engine knows seccomp=unconfined, seccomp=<profile.json> and no-new-privileges[=true|false]"),
            };
        }
        return result;
    }

    private static bool ParseSwitch(string option, string? value) => value?.ToLowerInvariant() switch
    {
        null or "" or "true" => true,
        "false" => false,
        _ => throw Invalid(option, $"'{value}' is not true or false"),
    };

    private static EngineException Invalid(string option, string reason) =>
        new("InvalidSecurityOption", ErrorKind.InvalidArgument, option, $"Invalid security option '{option}': {reason}.");
}
