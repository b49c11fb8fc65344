using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace ContainerTools.Tests.Support;

/// <summary>A PowerShell host whose console is a string buffer 160 columns wide, so rendered tables can be asserted.</summary>
internal sealed class CapturingHost : PSHost
{
    private readonly CapturingUI _ui = new();
    private readonly Guid _id = Guid.NewGuid();

    public string Text => _ui.Text;
    public void Clear() => _ui.Clear();

    public override string Name => "ContainerTools.Tests";
    public override Version Version => new(1, 0);
    public override Guid InstanceId => _id;
    public override PSHostUserInterface UI => _ui;
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override void SetShouldExit(int exitCode) { }
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }

    private sealed class CapturingUI : PSHostUserInterface
    {
        private readonly StringBuilder _text = new();
        private readonly RawUI _raw = new();

        public string Text { get { lock (_text) return _text.ToString(); } }
        public void Clear() { lock (_text) _text.Clear(); }

        public override PSHostRawUserInterface RawUI => _raw;
        public override void Write(string value) { lock (_text) _text.Append(value); }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Write(value);
        public override void WriteLine(string value) => Write(value + "\n");
        public override void WriteErrorLine(string value) => Write(value + "\n");
        public override void WriteDebugLine(string message) { }
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message) => Write("WARNING: " + message + "\n");
        public override string ReadLine() => throw new NotSupportedException("no console input in tests");
        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("no console input in tests");
        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) =>
            throw new NotSupportedException("no prompts in tests");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("no prompts in tests");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new NotSupportedException("no prompts in tests");
        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice) =>
            throw new NotSupportedException("no prompts in tests");
    }

    private sealed class RawUI : PSHostRawUserInterface
    {
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override Coordinates CursorPosition { get; set; }
        public override Coordinates WindowPosition { get; set; }
        public override int CursorSize { get; set; }
        public override Size BufferSize { get; set; } = new(160, 9999);
        public override Size WindowSize { get; set; } = new(160, 50);
        public override Size MaxWindowSize => new(160, 50);
        public override Size MaxPhysicalWindowSize => new(160, 50);
        public override bool KeyAvailable => false;
        public override string WindowTitle { get; set; } = "";
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();
        public override void FlushInputBuffer() { }
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
    }
}
