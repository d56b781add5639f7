using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting.Publishing;

/// <summary><c>publish [--publisher compose] --output &lt;dir&gt;</c>: the AppHost writes deployment files instead of running anything.</summary>
internal sealed record PublishingOptions(string Publisher, string OutputPath)
{
    /// <summary>The only publisher: Docker Compose.</summary>
    public const string Compose = "compose";

    /// <summary>Null unless the first argument is <c>publish</c>; an error naming what to fix when its options are wrong.</summary>
    public static PublishingOptions? Parse(string[] args, IConfiguration configuration)
    {
        if (args.FirstOrDefault() != "publish")
        {
            return null;
        }
        var publisher = configuration["publisher"] ?? Compose;
        if (publisher != Compose)
        {
            throw new DistributedApplicationException($"Unknown publisher '{publisher}'; the only one is '{Compose}'.");
        }
        var output = configuration["output"] is { Length: > 0 } o
            ? o
            : throw new DistributedApplicationException("publish needs an output directory: publish --output <dir>.");
        return new PublishingOptions(publisher, Path.GetFullPath(output));
    }
}
