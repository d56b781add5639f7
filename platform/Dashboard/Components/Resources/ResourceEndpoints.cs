using Aspire.DashboardService.Proto.V1;
using AspireProber.Dashboard.Components.Fragments;
using AspireProber.Dashboard.ResourceService;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AspireProber.Dashboard.Components.Resources;

/// <summary>The resource pages' fragments (re-fetched by live.js) and their command form's target.</summary>
internal static class ResourceEndpoints
{
    public static void MapResourceEndpoints(this RouteGroupBuilder ui)
    {
        ui.MapGet("/fragments/resources", () => new RazorComponentResult<ResourceTable>());
        ui.MapGet("/fragments/resources/{name}", (string name, string? reveal) =>
            new RazorComponentResult<ResourceDetailsBody>(new { Name = name, Reveal = reveal }));
        ui.MapGet("/fragments/console", (string? resource, string? filter) =>
            new RazorComponentResult<ConsoleLogLines>(new { Resource = resource, Filter = filter }));
        ui.MapPost("/resources/{name}/commands/{command}", ExecuteCommandAsync);
    }

    /// <summary>Runs a command from a form post (antiforgery-checked) and returns to the page with the outcome in the query string.</summary>
    private static async Task<IResult> ExecuteCommandAsync(string name, string command, [FromForm] string? returnUrl,
        ResourceServiceClient client, CancellationToken cancellationToken)
    {
        var response = await client.ExecuteCommandAsync(name, command, cancellationToken);
        var succeeded = response.Kind == ResourceCommandResponseKind.Succeeded;
        var notice = succeeded
            ? $"{command} {name}: done."
            : $"{command} {name} failed: {(response.HasErrorMessage ? response.ErrorMessage : response.Kind.ToString())}";
        // Only local paths: the form field must not turn this into an open redirect.
        var target = returnUrl is { Length: > 0 } && returnUrl[0] == '/' && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.Contains('\\')
            ? returnUrl.Split('?')[0]
            : "/";
        return TypedResults.Redirect($"{target}?notice={Uri.EscapeDataString(notice)}&ok={(succeeded ? "true" : "false")}");
    }
}
