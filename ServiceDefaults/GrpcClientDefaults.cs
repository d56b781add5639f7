using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// gRPC clients named after the resource they call: every replica address from <c>services__{name}__grpc__{i}</c>
/// (the variables the AppHost injects, as Aspire does), one channel per resource balancing per call, and a
/// default deadline on calls that set none.
/// </summary>
public static class GrpcClientDefaults
{
    /// <summary>The deadline of a call that sets none.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(10);

    /// <summary>The addresses of every replica of <paramref name="serviceName"/>'s endpoint, in replica order.</summary>
    public static IReadOnlyList<Uri> GetServiceAddresses(this IConfiguration configuration, string serviceName, string endpointName = "grpc")
    {
        var section = configuration.GetSection($"services:{serviceName}:{endpointName}");
        return section.GetChildren()
            .Select(child => (Index: int.TryParse(child.Key, out var i) ? i : int.MaxValue, child.Value))
            .Where(entry => !string.IsNullOrWhiteSpace(entry.Value))
            .OrderBy(entry => entry.Index)
            .Select(entry => Uri.TryCreate(entry.Value, UriKind.Absolute, out var uri)
                ? uri
                : throw new InvalidOperationException($"services:{serviceName}:{endpointName}:{entry.Index} = '{entry.Value}' is not an absolute URL."))
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
