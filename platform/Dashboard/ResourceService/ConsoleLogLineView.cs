namespace AspireProber.Dashboard.ResourceService;

/// <summary>One console line as the dashboard keeps it.</summary>
/// <param name="Number">1-based line number in the resource's output.</param>
/// <param name="Text">The line without its line break.</param>
/// <param name="IsStdErr">True when the process printed it on stderr.</param>
public sealed record ConsoleLogLineView(int Number, string Text, bool IsStdErr);
