using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AspireProber.Grpc.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspireProber.Grpc.Tests.Client;

/// <summary>Responses a well-behaved server never sends (resets, missing status) and the https:// path.</summary>
public sealed class ClientWireEdgeTests
{
    [Theory]
    [InlineData(0x8, StatusCode.Cancelled)]     // CANCEL
    [InlineData(0x2, StatusCode.Internal)]      // INTERNAL_ERROR
    [InlineData(0x7, StatusCode.Unavailable)]   // REFUSED_STREAM
    public async Task Stream_reset_without_a_status_maps_its_HTTP2_error_code(int errorCode, StatusCode expected)
    {
        await using var server = await GrpcTestServer.StartAsync(_ => { }, endpoints => endpoints.MapPost("/test.v1.TestService/ServerStreaming", async context =>
        {
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(GrpcFrames.Frame("one"));
            await context.Response.Body.FlushAsync();
            context.Features.Get<IHttpResetFeature>()!.Reset(errorCode);
        }));
        using var channel = GrpcChannel.ForAddress(server.Address);

        using var call = channel.CreateCallInvoker().AsyncServerStreamingCall(TestService.ServerStreaming, null, default, "m");
        // The reset may overtake the message (HttpClient drops a reset stream's buffered data), so only the outcome is fixed.
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None).Within())
            {
            }
        });

        Assert.Equal(expected, error.StatusCode);
        Assert.Contains("HTTP/2 error", error.Status.Detail);
    }

    [Fact]
    public async Task Response_that_ends_without_grpc_status_is_INTERNAL()
    {
        await using var server = await GrpcTestServer.StartAsync(_ => { }, endpoints => endpoints.MapPost("/test.v1.TestService/Unary", async context =>
        {
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(GrpcFrames.Frame("orphan"));
        }));
        using var channel = GrpcChannel.ForAddress(server.Address);

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.CreateCallInvoker().AsyncUnaryCall(TestService.Unary, null, default, "m").ResponseAsync.Within());

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("grpc-status", error.Status.Detail);
    }

    [Fact]
    public async Task Https_address_speaks_HTTP2_over_TLS()
    {
        using var certificate = CreateSelfSignedCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2; // ALPN must pick h2 for the gRPC client.
            listen.UseHttps(certificate);
        }));
        builder.Services.AddGrpcServer().AddSingleton(new TestHandlers());
        await using var app = builder.Build();
        app.MapGrpcService<ScriptedTestService>();
        await app.StartAsync();
        try
        {
            var address = new Uri(app.Urls.Single());
            var handler = new SocketsHttpHandler();
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => cert?.GetCertHashString() == certificate.GetCertHashString();
            using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });

            Assert.Equal("https", address.Scheme);
            Assert.Equal("secure", await channel.CreateCallInvoker().AsyncUnaryCall(TestService.Unary, null, default, "secure").ResponseAsync.Within());
        }
        finally
        {
            await app.StopAsync();
        }
    }

    private static X509Certificate2 CreateSelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Kestrel needs a certificate whose private key it can use; a PKCS#12 round trip gives one on every platform.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }
}
