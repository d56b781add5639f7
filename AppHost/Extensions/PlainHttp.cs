namespace Aspire.Hosting;

/// <summary>
/// The system speaks plain HTTP only (gRPC as h2c, the dashboard over http): no project needs an HTTPS certificate.
/// Aspire gives every project resource a certificate callback all the same, and for a resource that has one it looks for
/// a trusted ASP.NET Core development certificate at start, warning in the console and with a red banner in the
/// dashboard when there is none, as on a fresh Linux machine. Telling Aspire that no project takes a certificate
/// (<c>WithoutHttpsCertificate</c>) ends that check; an https endpoint added later would bring it back, as it should.
/// </summary>
public static class PlainHttp
{
    /// <summary>In the model's start, marks every project resource as taking no HTTPS certificate.</summary>
    public static IDistributedApplicationBuilder WithoutHttpsCertificates(this IDistributedApplicationBuilder builder)
    {
        // Before the start, when every project is in the model; Aspire's certificate check comes after this event.
        builder.Eventing.Subscribe<BeforeStartEvent>((start, _) =>
        {
            foreach (var project in start.Model.Resources.OfType<ProjectResource>())
            {
#pragma warning disable ASPIRECERTIFICATES001 // Experimental in Aspire 13.6; the supported way to say "no certificate".
                builder.CreateResourceBuilder(project).WithoutHttpsCertificate();
#pragma warning restore ASPIRECERTIFICATES001
            }
            return Task.CompletedTask;
        });
        return builder;
    }
}
