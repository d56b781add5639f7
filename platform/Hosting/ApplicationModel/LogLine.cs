namespace Aspire.Hosting.ApplicationModel;

/// <summary>One line a replica wrote: numbered from 1 over the replica's lifetime (restarts continue the count).</summary>
public readonly record struct LogLine(int LineNumber, string Content, bool IsErrorMessage);
