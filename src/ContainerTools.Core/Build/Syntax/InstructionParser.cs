using System.Text.RegularExpressions;

namespace ContainerTools.Core.Build.Syntax;

/// <summary>
/// Turns one logical line into an <see cref="Instruction"/>, with the argument rules of Docker's parser:
/// which instructions take JSON or shell form, key=value pairs or the legacy `KEY name value`, which flags.
/// </summary>
public sealed partial class InstructionParser
{
    private static readonly string[] NoFlags = [];
    private static readonly string[] CopyFlags = ["from", "chown", "chmod", "link", "exclude", "parents"];
    private static readonly string[] AddFlags = ["chown", "chmod", "link", "exclude", "checksum", "keep-git-dir"];
    private static readonly string[] HealthcheckFlags = ["interval", "timeout", "start-period", "start-interval", "retries"];
    private static readonly string[] Repeatable = ["exclude", "mount"];

    private readonly string _source;
    private readonly char _escape;

    public InstructionParser(string source, char escape)
    {
        _source = source;
        _escape = escape;
    }

    public Instruction Parse(LogicalLine logical)
    {
        string text = logical.Text.Trim();
        int blank = text.IndexOfAny([' ', '\t']);
        string keyword = blank < 0 ? text : text[..blank];
        string rest = blank < 0 ? "" : text[blank..].Trim();
        var line = new Line(this, logical.Line, text, keyword.ToUpperInvariant(), rest);
        return line.Keyword switch
        {
            "FROM" => line.From(),
            "RUN" => line.Run(),
            "CMD" => new CmdInstruction(line.Number, text, line.WithoutFlags().Command(allowEmpty: true)),
            "ENTRYPOINT" => new EntrypointInstruction(line.Number, text, line.WithoutFlags().Command(allowEmpty: true)),
            "SHELL" => line.Shell(),
            "ENV" => new EnvInstruction(line.Number, text, line.Pairs()),
            "LABEL" => new LabelInstruction(line.Number, text, line.Pairs()),
            "ARG" => line.Arg(),
            "WORKDIR" => new WorkdirInstruction(line.Number, text, line.OneString()),
            "USER" => new UserInstruction(line.Number, text, line.OneString()),
            "COPY" => line.Copy(isAdd: false),
            "ADD" => line.Copy(isAdd: true),
            "EXPOSE" => new ExposeInstruction(line.Number, text, line.Words(json: false)),
            "VOLUME" => new VolumeInstruction(line.Number, text, line.Words(json: true)),
            "STOPSIGNAL" => new StopSignalInstruction(line.Number, text, line.OneString()),
            "HEALTHCHECK" => line.Healthcheck(),
            "ONBUILD" => line.Onbuild(),
            "MAINTAINER" => new MaintainerInstruction(line.Number, text, line.OneString()),
            _ => throw DockerfileErrors.UnknownInstruction(_source, logical.Line, keyword),
        };
    }

    /// <summary>One instruction being parsed: its keyword, flags and argument text, and how to report its errors.</summary>
    private sealed class Line
    {
        private readonly InstructionParser _parser;
        private readonly string _original;
        private readonly string _rest;
        private readonly IReadOnlyList<string> _flagWords;

        public Line(InstructionParser parser, int number, string original, string keyword, string rest)
        {
            _parser = parser;
            Number = number;
            _original = original;
            Keyword = keyword;
            _rest = rest;
            (_flagWords, string arguments) = InstructionFlags.Split(rest);
            Arguments = arguments.Trim();
        }

        public int Number { get; }
        public string Keyword { get; }
        public string Arguments { get; }

        public EngineException Error(string message) =>
            DockerfileErrors.Syntax(_parser._source, Number, $"{Keyword}: {message}");

        private InstructionFlags Flags(IReadOnlyCollection<string> known) =>
            InstructionFlags.Parse(_flagWords, known, Repeatable, Error);

        private void Require(bool condition, string message)
        {
            if (!condition)
                throw Error(message);
        }

        public FromInstruction From()
        {
            var flags = Flags(["platform"]);
            IReadOnlyList<string> words = ArgumentSyntax.SplitWhitespace(Arguments);
            bool named = words.Count == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase);
            Require(words.Count == 1 || named, "FROM requires either one or three arguments");
            string? stage = named ? words[2].ToLowerInvariant() : null;
            Require(stage is null || StageName().IsMatch(stage),
                $"invalid name for build stage: \"{stage}\", name can't start with a number or contain symbols");
            return new FromInstruction(Number, _original, words[0], stage, flags.Value("platform", Error));
        }

        public RunInstruction Run()
        {
            var flags = Flags(["network", "mount", "security"]);
            foreach (string unsupported in new[] { "mount", "security" }.Where(flags.Has))
                throw new EngineException("DockerfileUnsupportedFlag", ErrorKind.NotImplemented, $"{_parser._source}:{Number}",
                    $"{_parser._source} line {Number}: RUN --{unsupported} is not supported");
            CommandLine command = Command(allowEmpty: false);
            string? network = flags.Value("network", Error);
            Require(network is null or "default" or "none" or "host", $"unsupported network mode: {network}");
            return new RunInstruction(Number, _original, command, network);
        }

        /// <summary>Rejects any flag, for the instructions that take none.</summary>
        public Line WithoutFlags()
        {
            Flags(NoFlags);
            return this;
        }

        public CommandLine Command(bool allowEmpty)
        {
            IReadOnlyList<string>? exec = Json(Arguments);
            if (exec is not null)
            {
                Require(allowEmpty || exec.Count > 0, $"{Keyword} requires at least one argument");
                return CommandLine.Exec(exec);
            }
            if (Arguments.Length == 0)
            {
                Require(allowEmpty, $"{Keyword} requires at least one argument");
                return CommandLine.Exec([]);
            }
            return CommandLine.Shell(Arguments);
        }

        public ShellInstruction Shell()
        {
            Flags(NoFlags);
            IReadOnlyList<string>? shell = Json(Arguments);
            Require(shell is not null, "SHELL requires the arguments to be in JSON form");
            Require(shell!.Count > 0, "SHELL requires at least one argument");
            return new ShellInstruction(Number, _original, shell);
        }

        /// <summary>ENV and LABEL: `name=value ...`, or the legacy `name value` (one pair, the value is the rest).</summary>
        public IReadOnlyList<KeyValue> Pairs()
        {
            Flags(NoFlags);
            IReadOnlyList<string> words = ArgumentSyntax.QuotedWords(Arguments, _parser._escape);
            Require(words.Count > 0, $"{Keyword} requires at least one argument");
            if (!words[0].Contains('='))
            {
                string[] parts = Blank().Split(Arguments, 2);
                Require(parts.Length == 2, $"{Keyword} must have two arguments");
                return [new KeyValue(parts[0], parts[1])];
            }
            var pairs = new List<KeyValue>();
            foreach (string word in words)
            {
                int equals = word.IndexOf('=');
                Require(equals >= 0, $"Syntax error - can't find = in \"{word}\". Must be of the form: name=value");
                Require(equals > 0, $"{Keyword} names can not be blank");
                pairs.Add(new KeyValue(word[..equals], word[(equals + 1)..]));
            }
            return pairs;
        }

        public ArgInstruction Arg()
        {
            Flags(NoFlags);
            IReadOnlyList<string> words = ArgumentSyntax.QuotedWords(Arguments, _parser._escape);
            Require(words.Count > 0, "ARG requires at least one argument");
            var declarations = new List<ArgDeclaration>();
            foreach (string word in words)
            {
                int equals = word.IndexOf('=');
                string name = equals < 0 ? word : word[..equals];
                Require(ArgName().IsMatch(name), $"invalid argument name: \"{name}\"");
                declarations.Add(new ArgDeclaration(name, equals < 0 ? null : word[(equals + 1)..]));
            }
            return new ArgInstruction(Number, _original, declarations);
        }

        public string OneString()
        {
            Flags(NoFlags);
            Require(Arguments.Length > 0, $"{Keyword} requires exactly one argument");
            return Arguments;
        }

        public IReadOnlyList<string> Words(bool json)
        {
            Flags(NoFlags);
            IReadOnlyList<string> words = (json ? Json(Arguments) : null) ?? ArgumentSyntax.SplitWhitespace(Arguments);
            Require(words.Count > 0, $"{Keyword} requires at least one argument");
            return words;
        }

        public CopyInstruction Copy(bool isAdd)
        {
            var flags = Flags(isAdd ? AddFlags : CopyFlags);
            foreach (string unsupported in new[] { "parents", "checksum", "keep-git-dir" }.Where(flags.Has))
                throw new EngineException("DockerfileUnsupportedFlag", ErrorKind.NotImplemented, $"{_parser._source}:{Number}",
                    $"{_parser._source} line {Number}: {Keyword} --{unsupported} is not supported");
            IReadOnlyList<string> words = Json(Arguments) ?? ArgumentSyntax.SplitWhitespace(Arguments);
            Require(words.Count >= 2, $"{Keyword} requires at least two arguments, but only {words.Count} provided. Destination could not be determined");
            return new CopyInstruction(Number, _original, isAdd, words.Take(words.Count - 1).ToList(), words[^1],
                isAdd ? null : flags.Value("from", Error), flags.Value("chown", Error), flags.Value("chmod", Error),
                flags.Values("exclude", Error));
        }

        public HealthcheckInstruction Healthcheck()
        {
            var flags = Flags(HealthcheckFlags);
            int blank = Arguments.IndexOfAny([' ', '\t']);
            string type = (blank < 0 ? Arguments : Arguments[..blank]).ToUpperInvariant();
            string command = blank < 0 ? "" : Arguments[blank..].Trim();
            if (type == "NONE")
            {
                Require(command.Length == 0 && _flagWords.Count == 0, "HEALTHCHECK NONE takes no arguments");
                return new HealthcheckInstruction(Number, _original, null);
            }
            Require(type == "CMD", $"Unknown type \"{type}\" in HEALTHCHECK (try CMD)");
            Require(command.Length > 0, "Missing command after HEALTHCHECK CMD");
            IReadOnlyList<string>? exec = Json(command);
            IReadOnlyList<string> test = exec is null ? ["CMD-SHELL", command] : ["CMD", .. exec];
            string? retries = flags.Value("retries", Error);
            int retryCount = 0;
            Require(retries is null || int.TryParse(retries, out retryCount), $"invalid --retries value: {retries}");
            Require(retryCount >= 0, "--retries cannot be negative");
            return new HealthcheckInstruction(Number, _original, new HealthcheckSettings(test,
                Duration(flags, "interval"), Duration(flags, "timeout"), Duration(flags, "start-period"),
                Duration(flags, "start-interval"), retryCount));
        }

        private TimeSpan Duration(InstructionFlags flags, string name)
        {
            string? text = flags.Value(name, Error);
            if (text is null)
                return TimeSpan.Zero;
            TimeSpan value;
            try
            {
                value = GoDuration.Parse(text);
            }
            catch (FormatException e)
            {
                throw Error(e.Message);
            }
            Require(value == TimeSpan.Zero || value >= TimeSpan.FromMilliseconds(1), $"--{name} cannot be less than 1ms");
            return value;
        }

        public OnbuildInstruction Onbuild()
        {
            Require(_rest.Length > 0, "ONBUILD requires at least one argument");
            Instruction trigger = _parser.Parse(new LogicalLine(Number, _rest));
            Require(trigger is not (OnbuildInstruction or FromInstruction or MaintainerInstruction),
                $"{trigger.Keyword} isn't allowed as an ONBUILD trigger");
            return new OnbuildInstruction(Number, _original, _rest, trigger);
        }

        private IReadOnlyList<string>? Json(string text)
        {
            try
            {
                return ArgumentSyntax.TryJsonArray(text);
            }
            catch (FormatException e)
            {
                throw Error(e.Message);
            }
        }
    }

    [GeneratedRegex(@"^[a-z][a-z0-9\-_\.]*$")]
    private static partial Regex StageName();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex ArgName();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Blank();
}
