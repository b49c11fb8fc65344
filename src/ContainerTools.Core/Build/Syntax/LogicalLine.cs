namespace ContainerTools.Core.Build.Syntax;

/// <summary>One instruction's text after continuations are joined and comments dropped; <see cref="Line"/> is where it starts (1-based).</summary>
public sealed record LogicalLine(int Line, string Text);
