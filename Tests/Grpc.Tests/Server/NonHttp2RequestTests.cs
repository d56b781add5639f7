using AspireProber.Grpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace AspireProber.Grpc.Tests.Server;

/// <summary>gRPC needs HTTP/2: an HTTP/1.1 request to a gRPC method is refused with a status a client can map.</summary>
public sealed class NonHttp2RequestTests
{
    [Fact]
    public async Task Http11_request_gets_426_with_an_INTERNAL_grpc_status_and_the_server_keeps_serving()
    {
        await using var server = await GrpcTestServer.StartAsync(
            services => services.AddGrpcServer().AddSingleton<TestHandlers>(),
            endpoints => endpoints.MapGrpcService<ScriptedTestService>(),
            HttpProtocols.Http1);
        using var http11 = new HttpClient { BaseAddress = server.Address };
        var request = GrpcFrames.Request("/test.v1.TestService/Unary", GrpcFrames.Frame("hello"));
        request.Version = System.Net.HttpVersion.Version11;

        using var first = await http11.SendAsync(request);
        var second = GrpcFrames.Request("/test.v1.TestService/Unary", GrpcFrames.Frame("again"));
        second.Version = System.Net.HttpVersion.Version11;
        using var again = await http11.SendAsync(second);

        Assert.Equal(426, (int)first.StatusCode);
        Assert.Equal("13", first.Headers.GetValues("grpc-status").Single());
        Assert.Contains("HTTP/2", first.Headers.GetValues("grpc-message").Single());
        Assert.Equal(426, (int)again.StatusCode);
    }
}
