using System.Text.RegularExpressions;

namespace ContainerTools.Core.Containers;

/// <summary>Container names: Docker's grammar, and a readable default when none is given.</summary>
public static partial class ContainerNames
{
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex Grammar();

    private static readonly string[] Adjectives =
        ["brave", "calm", "eager", "fond", "gentle", "happy", "keen", "lucid", "merry", "nimble", "proud", "quiet", "swift", "tender", "witty", "zen"];

    private static readonly string[] Nouns =
        ["turing", "hopper", "lovelace", "knuth", "ritchie", "thompson", "torvalds", "dijkstra", "liskov", "hamilton", "shannon", "babbage", "curie", "noether", "kay", "wirth"];

    /// <summary>Docker's grammar for container names, which volume names share.</summary>
    public static bool IsValid(string name) => name.Length <= 128 && Grammar().IsMatch(name);

    public static void Validate(string name)
    {
        if (!IsValid(name))
            throw new EngineException("InvalidContainerName", ErrorKind.InvalidArgument, name,
                $"'{name}' is not a valid container name: use letters, digits, '_', '.', '-', starting with a letter or digit");
    }

    public static string Generate(Func<string, bool> taken)
    {
        while (true)
        {
            string name = $"{Adjectives[Random.Shared.Next(Adjectives.Length)]}_{Nouns[Random.Shared.Next(Nouns.Length)]}";
            if (!taken(name))
                return name;
            name += "_" + Random.Shared.Next(1000, 9999);
            if (!taken(name))
                return name;
        }
    }
}
