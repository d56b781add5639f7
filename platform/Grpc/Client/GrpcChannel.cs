using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client.Configuration;
using Grpc.Net.Client.Internal;
using Grpc.Net.Compression;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grpc.Net.Client;

/// <summary>
/// A channel to one gRPC server or to several replicas of it: calls go over one shared HttpClient (HTTP/2, h2c for
/// http:// and TLS with ALPN for https://) and are balanced per call across the addresses, skipping any that refused
/// a connection recently. <see cref="FanOutAsync{TResponse}"/> calls every address at once.
/// </summary>
public sealed class GrpcChannel : ChannelBase, IDisposable
{
    private readonly Uri[] _addresses;
    private readonly bool _disposeHttpClient;
    private readonly HttpClientCallInvoker _invoker;
    private readonly HttpClientCallInvoker[] _addressInvokers;
    private readonly ServiceConfig? _serviceConfig;
    private readonly ConcurrentDictionary<string, RetryPolicy?> _retryPolicies = new();
    private volatile bool _disposed;

    private GrpcChannel(Uri[] addresses, GrpcChannelOptions options) : base(string.Join(",", addresses.Select(a => a.ToString())))
    {
        if (options.HttpClient is not null && options.HttpHandler is not null)
        {
            throw new ArgumentException("Set either GrpcChannelOptions.HttpClient or GrpcChannelOptions.HttpHandler, not both.", nameof(options));
        }
        foreach (var policy in options.ServiceConfig?.MethodConfigs.Select(c => c.RetryPolicy) ?? [])
        {
            policy?.Validate();
        }

        _addresses = addresses;
        _serviceConfig = options.ServiceConfig;
        HttpClient = options.HttpClient ?? new HttpClient(options.HttpHandler ?? CreateDefaultHandler(), disposeHandler: options.HttpHandler is null || options.DisposeHttpClient)
        {
            // Deadlines are the calls' business; HttpClient's 100 s default would cut long streams.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _disposeHttpClient = options.HttpClient is null || options.DisposeHttpClient;
        MaxReceiveMessageSize = options.MaxReceiveMessageSize;
        MaxSendMessageSize = options.MaxSendMessageSize;
        MaxRetryAttempts = options.MaxRetryAttempts;
        CompressionProviders = options.CompressionProviders?.ToArray() ?? Compression.CompressionProviders.Default.ToArray();
        AcceptEncoding = Compression.CompressionProviders.AcceptEncodingValue(CompressionProviders);
        CallLogger = (ILogger?)options.LoggerFactory?.CreateLogger("Grpc.Net.Client.Internal.GrpcCall") ?? NullLogger.Instance;
        Balancer = new AddressBalancer(addresses, _serviceConfig?.LoadBalancingPolicy ?? LoadBalancingPolicy.RoundRobin, options.UnavailableAddressBackoff);
        _invoker = new HttpClientCallInvoker(this, address: null);
        _addressInvokers = addresses.Select(a => new HttpClientCallInvoker(this, a)).ToArray();
    }

    /// <summary>A channel to one address, e.g. <c>http://localhost:5001</c>.</summary>
    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options = null) =>
        ForAddress(new Uri(address ?? throw new ArgumentNullException(nameof(address))), options);

    /// <summary>A channel to one address.</summary>
    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null) => ForAddresses([address], options);

    /// <summary>A channel to several replicas of one service; calls are balanced across them.</summary>
    public static GrpcChannel ForAddresses(IEnumerable<Uri> addresses, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var list = addresses.Distinct().ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("A channel needs at least one address.", nameof(addresses));
        }
        foreach (var address in list)
        {
            if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"Address '{address}' must be an absolute http:// or https:// URI.", nameof(addresses));
            }
        }
        return new GrpcChannel(list, options ?? new GrpcChannelOptions());
    }

    /// <summary>The addresses calls are balanced across.</summary>
    public IReadOnlyList<Uri> Addresses => _addresses;

    /// <inheritdoc />
    public override CallInvoker CreateCallInvoker()
    {
        ThrowIfDisposed();
        return _invoker;
    }

    /// <summary>
    /// Makes the same call on every address in parallel and returns each one's outcome, in address order; a failed
    /// address gives its <see cref="RpcException"/> instead of failing the whole fan-out.
    /// </summary>
    /// <param name="call">Starts the call on the invoker of one address, e.g.
    /// <c>(invoker, ct) =&gt; new Prober.ProberClient(invoker).ProbeAsync(request, cancellationToken: ct).ResponseAsync</c>.</param>
    /// <param name="cancellationToken">Cancels every call.</param>
    public async Task<IReadOnlyList<FanOutResult<TResponse>>> FanOutAsync<TResponse>(Func<CallInvoker, CancellationToken, Task<TResponse>> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        ThrowIfDisposed();
        var calls = new Task<FanOutResult<TResponse>>[_addresses.Length];
        for (var i = 0; i < calls.Length; i++)
        {
            calls[i] = CallOneAsync(_addressInvokers[i], _addresses[i], call, cancellationToken);
        }
        return await Task.WhenAll(calls).ConfigureAwait(false);
    }

    private static async Task<FanOutResult<TResponse>> CallOneAsync<TResponse>(CallInvoker invoker, Uri address,
        Func<CallInvoker, CancellationToken, Task<TResponse>> call, CancellationToken cancellationToken)
    {
        // Yield first so a delegate that blocks before its first await cannot hold up the other addresses.
        await Task.Yield();
        try
        {
            return new FanOutResult<TResponse>(address, await call(invoker, cancellationToken).ConfigureAwait(false), null);
        }
        catch (RpcException ex)
        {
            return new FanOutResult<TResponse>(address, default, ex);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            return new FanOutResult<TResponse>(address, default, new RpcException(new Status(StatusCode.Cancelled, "The fan-out was cancelled.", ex)));
        }
        catch (Exception ex)
        {
            return new FanOutResult<TResponse>(address, default, new RpcException(new Status(StatusCode.Unknown, $"{ex.GetType().Name}: {ex.Message}", ex)));
        }
    }

    /// <summary>Disposes the HttpClient when the channel owns it; calls in flight fail, new calls throw.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (_disposeHttpClient)
        {
            HttpClient.Dispose();
        }
    }

    internal HttpClient HttpClient { get; }

    internal int? MaxReceiveMessageSize { get; }

    internal int? MaxSendMessageSize { get; }

    internal int? MaxRetryAttempts { get; }

    internal IReadOnlyList<ICompressionProvider> CompressionProviders { get; }

    /// <summary>The grpc-accept-encoding value sent with every call.</summary>
    internal string AcceptEncoding { get; }

    internal ILogger CallLogger { get; }

    internal AddressBalancer Balancer { get; }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>The retry policy of a method: the most specific method config wins (method, service, default).</summary>
    internal RetryPolicy? GetRetryPolicy(IMethod method) =>
        _serviceConfig is null ? null : _retryPolicies.GetOrAdd(method.FullName, static (_, state) => FindRetryPolicy(state.Config, state.Method), (Config: _serviceConfig, Method: method));

    private static RetryPolicy? FindRetryPolicy(ServiceConfig config, IMethod method)
    {
        MethodConfig? service = null, fallback = null;
        foreach (var methodConfig in config.MethodConfigs)
        {
            foreach (var name in methodConfig.Names)
            {
                if (string.IsNullOrEmpty(name.Service))
                {
                    fallback ??= methodConfig;
                }
                else if (name.Service == method.ServiceName)
                {
                    if (name.Method == method.Name)
                    {
                        return methodConfig.RetryPolicy;
                    }
                    if (string.IsNullOrEmpty(name.Method))
                    {
                        service ??= methodConfig;
                    }
                }
            }
        }
        return (service ?? fallback)?.RetryPolicy;
    }

    private static SocketsHttpHandler CreateDefaultHandler() => new()
    {
        // Several connections per address once one's concurrent-stream limit is reached.
        EnableMultipleHttp2Connections = true,
        // Pings find a dead connection under a long-running call instead of waiting for TCP to give up.
        KeepAlivePingDelay = TimeSpan.FromSeconds(60),
        KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
    };
}
