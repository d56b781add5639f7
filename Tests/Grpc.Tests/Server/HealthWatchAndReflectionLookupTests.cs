using AspireProber.Grpc.Tests.Infrastructure;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using Grpc.Net.Client;
using Grpc.Reflection.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AspireProber.Grpc.Tests.Server;

/// <summary>Health Watch and reflection lookups, through our own generated clients.</summary>
public sealed class HealthWatchAndReflectionLookupTests : IAsyncLifetime
{
    private GrpcTestServer _server = null!;
    private GrpcChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _server = await GrpcTestServer.StartAsync(
            services => services.AddGrpcServer().AddGrpcReflection().AddSingleton<HealthServiceImpl>(),
            endpoints =>
            {
                endpoints.MapGrpcService<HealthServiceImpl>();
                endpoints.MapGrpcReflectionService();
            });
        _channel = GrpcChannel.ForAddress(_server.Address);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
    }

    private HealthServiceImpl Health => _server.Services.GetRequiredService<HealthServiceImpl>();

    [Fact]
    public async Task Watch_sends_the_current_status_then_every_change_and_ends_at_shutdown()
    {
        Health.SetStatus("orders.v1.Orders", ServingStatus.Serving);
        var client = new Health.HealthClient(_channel);
        using var watch = client.Watch(new HealthCheckRequest { Service = "orders.v1.Orders" });
        var stream = watch.ResponseStream;

        Assert.True(await stream.MoveNext(CancellationToken.None));
        Assert.Equal(ServingStatus.Serving, stream.Current.Status);
        Health.SetStatus("orders.v1.Orders", ServingStatus.NotServing);
        Assert.True(await stream.MoveNext(CancellationToken.None));
        Assert.Equal(ServingStatus.NotServing, stream.Current.Status);
        Health.ClearStatus("orders.v1.Orders");
        Assert.True(await stream.MoveNext(CancellationToken.None));
        Assert.Equal(ServingStatus.ServiceUnknown, stream.Current.Status);
        Health.Shutdown();
        Assert.False(await stream.MoveNext(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Watch_of_an_unknown_service_says_SERVICE_UNKNOWN_and_keeps_the_stream_open()
    {
        var client = new Health.HealthClient(_channel);
        using var watch = client.Watch(new HealthCheckRequest { Service = "later.v1.Later" });

        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(ServingStatus.ServiceUnknown, watch.ResponseStream.Current.Status);
        Health.SetStatus("later.v1.Later", ServingStatus.Serving);
        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(ServingStatus.Serving, watch.ResponseStream.Current.Status);
    }

    [Fact]
    public async Task Check_of_an_unknown_service_is_NOT_FOUND()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            new Health.HealthClient(_channel).CheckAsync(new HealthCheckRequest { Service = "nobody.v1.Nobody" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task File_by_filename_returns_the_file_and_a_missing_one_is_NOT_FOUND_on_the_same_stream()
    {
        using var call = new ServerReflection.ServerReflectionClient(_channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileByFilename = "grpc/health/v1/health.proto" });
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileByFilename = "no/such.proto" });
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "grpc.health.v1.HealthCheckResponse.ServingStatus" });
        await call.RequestStream.CompleteAsync();
        var responses = await call.ResponseStream.ReadAllAsync().ToListAsync();

        Assert.Equal(3, responses.Count);
        var file = FileDescriptorProto.Parser.ParseFrom(responses[0].FileDescriptorResponse.FileDescriptorProto[0]);
        Assert.Equal("grpc/health/v1/health.proto", file.Name);
        Assert.Contains(file.Service, s => s.Name == "Health");
        Assert.Equal((int)StatusCode.NotFound, responses[1].ErrorResponse.ErrorCode);
        Assert.Equal("grpc/health/v1/health.proto",
            FileDescriptorProto.Parser.ParseFrom(responses[2].FileDescriptorResponse.FileDescriptorProto[0]).Name);
    }

    [Fact]
    public async Task List_services_names_both_reflection_versions_and_health()
    {
        using var call = new ServerReflection.ServerReflectionClient(_channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(
            ["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"],
            call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name));
    }
}

/// <summary>The bridge from ASP.NET Core health checks to grpc.health.v1, with no manual status setting.</summary>
public sealed class GrpcHealthChecksBridgeTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Server_status_is_published_at_start_with_or_without_registered_checks(bool withCheck)
    {
        await using var server = await GrpcTestServer.StartAsync(
            services =>
            {
                services.AddGrpcServer();
                var checks = services.AddGrpcHealthChecks();
                if (withCheck)
                {
                    checks.AddCheck("failing", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("down"));
                }
            },
            endpoints => endpoints.MapGrpcHealthChecksService());
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new Health.HealthClient(channel);
        var expected = withCheck ? ServingStatus.NotServing : ServingStatus.Serving;

        var status = await PollAsync(client, TimeSpan.FromSeconds(5));

        Assert.Equal(expected, status);
    }

    private static async Task<ServingStatus?> PollAsync(Health.HealthClient client, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            try
            {
                return (await client.CheckAsync(new HealthCheckRequest()).ResponseAsync).Status;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
            {
                await Task.Delay(50);
            }
        }
        return null;
    }
}
