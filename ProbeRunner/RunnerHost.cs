using AspireProber.ProbeRunner.Backpressure;
using AspireProber.ServiceDefaults;
using AspireProber.Stock.V1;

namespace AspireProber.ProbeRunner;

/// <summary>
/// The runner as a web app: the probe worker, the stock consumers, the gRPC <c>runner.v1.Runner</c> service and the
/// backpressure view.
/// </summary>
public static class RunnerHost
{
    /// <summary>Builds the app from command-line arguments (configuration overrides such as <c>--Runner:Interval=00:00:01</c>).</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddServiceDefaults();

        builder.Services.Configure<RunnerOptions>(builder.Configuration.GetSection(RunnerOptions.SectionName));
        builder.Services.AddSingleton<RunnerMetrics>();
        // Two ways to call the probers: one channel per replica for the fan-out, and one balanced client for ProbeAny.
        builder.Services.AddSingleton<ReplicaChannels>();
        builder.Services.AddSingleton<ProbeFanOut>();
        builder.Services.AddServiceGrpcClient<Prober.V1.Prober.ProberClient>(ProbeFanOut.ProberServiceName);
        builder.Services.AddServiceGrpcClient<StockService.StockServiceClient>(StockConsumersWorker.StockServiceName);
        builder.Services.AddHostedService<ProbeWorker>();
        builder.Services.AddSingleton<StockConsumersWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StockConsumersWorker>());
        builder.Services.AddBackpressureView();
        // One limiter for every call (grpc-dotnet resolves a registered interceptor from the container).
        builder.Services.AddSingleton<RunnerCallLimitInterceptor>();
        builder.Services.AddGrpc().AddServiceOptions<RunnerServiceImpl>(grpc => grpc.Interceptors.Add<RunnerCallLimitInterceptor>());

        var app = builder.Build();
        app.MapGrpcService<RunnerServiceImpl>();
        app.MapDefaultEndpoints();
        app.MapBackpressureView();
        return app;
    }
}
