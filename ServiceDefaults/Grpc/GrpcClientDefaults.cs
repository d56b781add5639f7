using AspireProber.ServiceDefaults;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// gRPC clients of the resources the AppHost references, on Grpc.Net.ClientFactory: every replica from service
/// discovery, round-robin per call, retries of UNAVAILABLE and RESOURCE_EXHAUSTED from the service config, and a default deadline on calls
/// that set none.
/// </summary>
public static class GrpcClientDefaults
{
    /// <summary>The deadline of a unary call that sets none.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The service config of the channels: round-robin over the replicas, and every method retries UNAVAILABLE and
    /// RESOURCE_EXHAUSTED up to 3 attempts. A retry is picked like a new call, so over a balanced channel it goes to
    /// the next replica: a replica that is down, or busy with its limit of probes or streams, is gone around. Safe
    /// because the client retries only before the call is committed (no response headers yet), so the server did not
    /// start answering.
    /// </summary>
    public static ServiceConfig CreateDefaultServiceConfig() => new()
    {
        LoadBalancingConfigs = { new RoundRobinConfig() },
        MethodConfigs =
        {
            new MethodConfig
            {
                Names = { MethodName.Default },
                RetryPolicy = new RetryPolicy
                {
                    MaxAttempts = 3,
                    InitialBackoff = TimeSpan.FromMilliseconds(100),
                    MaxBackoff = TimeSpan.FromSeconds(1),
                    BackoffMultiplier = 2,
                    RetryableStatusCodes = { StatusCode.Unavailable, StatusCode.ResourceExhausted },
                },
            },
        },
    };

    /// <summary>
    /// True when the configuration names <paramref name="serviceName"/> (<c>services:{name}</c>, as the AppHost injects
    /// for a reference). Without it, service discovery would fall back to treating the name as a DNS host, so a service
    /// run alone checks this first and says what is missing.
    /// </summary>
    public static bool HasService(this IConfiguration configuration, string serviceName) =>
        configuration.GetSection($"services:{serviceName}").Exists();

    /// <summary>
    /// Registers <typeparamref name="TClient"/> for the resource <paramref name="serviceName"/>
    /// (<c>discovery://{serviceName}</c>, resolved by <see cref="ServiceDiscoveryResolverFactory"/>).
    /// </summary>
    public static IHttpClientBuilder AddServiceGrpcClient<TClient>(this IServiceCollection services, string serviceName)
        where TClient : class
    {
        services.AddServiceDiscovery();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ResolverFactory, ServiceDiscoveryResolverFactory>());
#pragma warning disable EXTEXP0001
        return services
            .AddGrpcClient<TClient>(client => client.Address = ServiceDiscoveryResolverFactory.AddressOf(serviceName))
            .ConfigureChannel(channel =>
            {
                // A scheme other than http(s) says nothing about TLS: the AppHost's endpoints are plain http on loopback.
                channel.Credentials = ChannelCredentials.Insecure;
                channel.ServiceConfig = CreateDefaultServiceConfig();
            })
            .AddInterceptor(() => new DefaultDeadlineInterceptor(DefaultDeadline))
            // The resilience handler AddServiceDefaults gives every HttpClient would retry below gRPC's own retries and
            // end the long-lived stock stream at its total timeout. (Marked experimental, but it is the documented way
            // to take a ConfigureHttpClientDefaults handler off one client.)
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
    }
}

/// <summary>Gives unary calls without a deadline a default one, so no call can hang forever.</summary>
internal sealed class DefaultDeadlineInterceptor(TimeSpan deadline) : Interceptor
{
    private ClientInterceptorContext<TRequest, TResponse> WithDefault<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class where TResponse : class =>
        context.Options.Deadline is null
            ? new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithDeadline(DateTime.UtcNow + deadline))
            : context;

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithDefault(context));

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithDefault(context));

    // Streams are long-lived by design (the stock stream runs for as long as the consumer does): no default deadline.
}
