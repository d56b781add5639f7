using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// gRPC clients named after the resource they call: every replica address from <c>services__{name}__grpc__{i}</c>
/// (the variables the AppHost injects, as Aspire does), one channel per resource balancing per call, retries of
/// UNAVAILABLE, and a default deadline on calls that set none. Spans and metrics come from the client itself
/// (<c>GrpcDiagnostics.ClientName</c>), which AddServiceDefaults subscribes to.
/// </summary>
public static class GrpcClientDefaults
{
    /// <summary>The deadline of a call that sets none.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The service config of a channel whose options set none: round-robin over the replicas, and every method retries
    /// UNAVAILABLE up to 3 attempts. Safe because the client retries only unary and server-streaming calls, and only
    /// before the call is committed (no response headers yet), so the server did not start answering.
    /// </summary>
    public static ServiceConfig CreateDefaultServiceConfig() => new()
    {
        LoadBalancingPolicy = LoadBalancingPolicy.RoundRobin,
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
                    RetryableStatusCodes = { StatusCode.Unavailable },
                },
            },
        },
    };

    /// <summary>The addresses of every replica of <paramref name="serviceName"/>'s endpoint, in replica order.</summary>
    public static IReadOnlyList<Uri> GetServiceAddresses(this IConfiguration configuration, string serviceName, string endpointName = "grpc")
    {
        var section = configuration.GetSection($"services:{serviceName}:{endpointName}");
        return section.GetChildren()
            .Select(child => (Index: int.TryParse(child.Key, out var i) ? i : int.MaxValue, child.Value))
            .Where(entry => !string.IsNullOrWhiteSpace(entry.Value))
            .OrderBy(entry => entry.Index)
            // "host:5001" parses as an absolute URI with scheme "host": only http(s) URLs are addresses.
            .Select(entry => Uri.TryCreate(entry.Value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                ? uri
                : throw new InvalidOperationException($"services:{serviceName}:{endpointName}:{entry.Index} = '{entry.Value}' is not an absolute http(s) URL."))
            .ToArray();
    }

    /// <summary>
    /// Registers <typeparamref name="TClient"/> over the channel of <paramref name="serviceName"/>; the channel
    /// itself is available from <see cref="GrpcChannels"/> (e.g. for fan-out to every replica).
    /// </summary>
    public static IServiceCollection AddGrpcClient<TClient>(this IServiceCollection services, string serviceName, Action<GrpcChannelOptions>? configure = null)
        where TClient : ClientBase<TClient>
    {
        services.TryAddSingleton<GrpcChannels>();
        if (configure is not null)
        {
            services.Configure(serviceName, configure);
        }
        services.AddSingleton(sp =>
        {
            var channel = sp.GetRequiredService<GrpcChannels>().Get(serviceName);
            var invoker = channel.CreateCallInvoker().Intercept(new DefaultDeadlineInterceptor(DefaultDeadline));
            return (TClient)Activator.CreateInstance(typeof(TClient), invoker)!;
        });
        return services;
    }
}

/// <summary>One channel per called resource, created on first use from configuration and disposed with the app.</summary>
public sealed class GrpcChannels(IConfiguration configuration, Microsoft.Extensions.Options.IOptionsMonitor<GrpcChannelOptions> options, ILoggerFactory loggerFactory) : IDisposable
{
    private readonly Dictionary<string, GrpcChannel> _channels = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The channel to every replica of <paramref name="serviceName"/>'s grpc endpoint.</summary>
    public GrpcChannel Get(string serviceName)
    {
        lock (_channels)
        {
            if (!_channels.TryGetValue(serviceName, out var channel))
            {
                var addresses = configuration.GetServiceAddresses(serviceName);
                if (addresses.Count == 0)
                {
                    throw new InvalidOperationException(
                        $"No address for '{serviceName}': set services__{serviceName}__grpc__0 (the AppHost does this for references).");
                }
                var channelOptions = options.Get(serviceName);
                channelOptions.LoggerFactory ??= loggerFactory;
                channelOptions.ServiceConfig ??= GrpcClientDefaults.CreateDefaultServiceConfig();
                _channels[serviceName] = channel = GrpcChannel.ForAddresses(addresses, channelOptions);
            }
            return channel;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_channels)
        {
            foreach (var channel in _channels.Values)
            {
                channel.Dispose();
            }
            _channels.Clear();
        }
    }
}

/// <summary>Gives calls without a deadline a default one, so no call can hang forever.</summary>
internal sealed class DefaultDeadlineInterceptor(TimeSpan deadline) : Interceptor
{
    private CallOptions WithDefault(CallOptions options) => options.Deadline is null ? options.WithDeadline(DateTime.UtcNow + deadline) : options;

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, WithDefault(context.Options)));

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, WithDefault(context.Options)));

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, WithDefault(context.Options)));

    // Streams are long-lived by design (the stock stream runs for as long as the consumer does): no default deadline.
}
