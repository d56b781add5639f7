// Aspire 13.6 marks its pipeline API experimental.
#pragma warning disable ASPIREPIPELINES001

using Aspire.Hosting.Pipelines;
using AspireProber.AppHost.Publishing;

namespace Aspire.Hosting;

/// <summary>
/// Publishing the model as Docker Compose without Aspire.Hosting.Docker (not served by this project's package mirror):
/// a step of Aspire's publish pipeline, run by <c>--operation publish --step publish --output-path &lt;dir&gt;</c>
/// (what <c>aspire publish</c> passes to the AppHost).
/// </summary>
public static class ComposePublishingExtensions
{
    /// <summary>The name of the pipeline step that writes docker-compose.yaml.</summary>
    public const string StepName = "publish-docker-compose";

    /// <summary>Adds the step writing docker-compose.yaml, .env and prometheus.yml to the output path on publish.</summary>
    public static IDistributedApplicationBuilder AddDockerComposePublishing(this IDistributedApplicationBuilder builder)
    {
        builder.Pipeline.AddStep(StepName, ComposePublisher.PublishAsync,
            dependsOn: WellKnownPipelineSteps.PublishPrereq, requiredBy: WellKnownPipelineSteps.Publish);
        return builder;
    }
}
