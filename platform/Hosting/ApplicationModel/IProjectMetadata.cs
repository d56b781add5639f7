namespace Aspire.Hosting;

/// <summary>
/// Where a project lives, so <c>AddProject&lt;TProject&gt;()</c> needs no hard-coded path; the AppHost's generated
/// <c>Projects.X</c> classes implement it, as in Aspire.
/// </summary>
public interface IProjectMetadata
{
    /// <summary>The full path of the .csproj.</summary>
    string ProjectPath { get; }
}
