namespace Aspire.Hosting.Dashboard;

/// <summary>The command names of the resource service (ResourceCommand.name), as the dashboard sends them back.</summary>
internal static class ResourceCommandNames
{
    public const string Stop = "stop";
    public const string Start = "start";
    public const string Restart = "restart";
}
