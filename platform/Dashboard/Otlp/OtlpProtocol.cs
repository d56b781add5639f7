namespace AspireProber.Dashboard.Otlp;

/// <summary>The names of the two OTLP transports, as OTEL_EXPORTER_OTLP_PROTOCOL spells them.</summary>
internal static class OtlpProtocol
{
    /// <summary>OTLP/gRPC.</summary>
    public const string Grpc = "grpc";

    /// <summary>OTLP/HTTP with protobuf bodies.</summary>
    public const string HttpProtobuf = "http/protobuf";

    /// <summary>The media type of OTLP/HTTP protobuf requests and responses.</summary>
    public const string ProtobufContentType = "application/x-protobuf";
}
