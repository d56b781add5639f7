using System.Globalization;
using System.Text;
using System.Text.Json;
using AspireProber.Dashboard.Telemetry;
using Google.Protobuf;
using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;

namespace AspireProber.Dashboard.Otlp;

/// <summary>Converts OTLP's wire values (attributes, ids, times) into the store's model, applying the attribute limits.</summary>
internal sealed class OtlpValues(TelemetryLimits limits)
{
    /// <summary>The service name OTLP's SDKs report when none was configured.</summary>
    public const string UnknownService = "unknown_service";

    /// <summary>The limits applied to attribute counts and value lengths.</summary>
    public TelemetryLimits Limits { get; } = limits;

    /// <summary>The replica and attributes of a resource; service.name defaults to "unknown_service", the instance id to "".</summary>
    public TelemetryResource Resource(Resource? resource)
    {
        var attributes = Attributes(resource?.Attributes);
        string? serviceName = null, instanceId = null;
        foreach (var attribute in attributes)
        {
            switch (attribute.Key)
            {
                case "service.name": serviceName = attribute.Value; break;
                case "service.instance.id": instanceId = attribute.Value; break;
            }
        }
        return new TelemetryResource(new ResourceKey(string.IsNullOrEmpty(serviceName) ? UnknownService : serviceName, instanceId ?? ""), attributes);
    }

    /// <summary>At most MaxAttributeCount attributes, each value cut to MaxAttributeLength characters.</summary>
    public TelemetryAttribute[] Attributes(RepeatedField<KeyValue>? attributes)
    {
        if (attributes is null || attributes.Count == 0)
        {
            return [];
        }
        var result = new TelemetryAttribute[Math.Min(attributes.Count, Limits.MaxAttributeCount)];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new TelemetryAttribute(attributes[i].Key, Cut(Text(attributes[i].Value)));
        }
        return result;
    }

    /// <summary>A value as text: strings as they are, numbers invariant, bytes as base64, arrays and maps as JSON.</summary>
    public string Text(AnyValue? value) => value?.ValueCase switch
    {
        null or AnyValue.ValueOneofCase.None => "",
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BytesValue => Convert.ToBase64String(value.BytesValue.Span),
        _ => Json(value),
    };

    /// <summary>
    /// An id as lowercase hex, or null when it is not <paramref name="length"/> bytes or is all zeros (OTLP's invalid id).
    /// The decoder then throws <see cref="InvalidId"/>, naming the field: building that name only on failure keeps the
    /// per-span cost down.
    /// </summary>
    public static string? Hex(ByteString id, int length)
    {
        var bytes = id.Span;
        return bytes.Length == length && bytes.ContainsAnyExcept((byte)0) ? Convert.ToHexStringLower(bytes) : null;
    }

    /// <summary>The error for an id that <see cref="Hex"/> refused; <paramref name="field"/> is its path in the request.</summary>
    public static OtlpValidationException InvalidId(ByteString id, int length, string field) => id.Length != length
        ? new OtlpValidationException($"{field} has {id.Length} bytes; it must have {length}.")
        : new OtlpValidationException($"{field} is all zeros, which OTLP defines as invalid.");

    /// <summary>Nanoseconds since the Unix epoch as a UTC time (100 ns resolution).</summary>
    public static DateTime Time(ulong unixNanos) => DateTime.UnixEpoch.AddTicks((long)(unixNanos / 100));

    private string Cut(string text) => text.Length <= Limits.MaxAttributeLength ? text : text[..Limits.MaxAttributeLength];

    private static string Json(AnyValue value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteJson(writer, value);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteJson(Utf8JsonWriter writer, AnyValue? value)
    {
        switch (value?.ValueCase)
        {
            case AnyValue.ValueOneofCase.StringValue: writer.WriteStringValue(value.StringValue); break;
            case AnyValue.ValueOneofCase.BoolValue: writer.WriteBooleanValue(value.BoolValue); break;
            case AnyValue.ValueOneofCase.IntValue: writer.WriteNumberValue(value.IntValue); break;
            case AnyValue.ValueOneofCase.DoubleValue when double.IsFinite(value.DoubleValue): writer.WriteNumberValue(value.DoubleValue); break;
            // JSON has no NaN or infinities: written as the text .NET gives them.
            case AnyValue.ValueOneofCase.DoubleValue: writer.WriteStringValue(value.DoubleValue.ToString(CultureInfo.InvariantCulture)); break;
            case AnyValue.ValueOneofCase.BytesValue: writer.WriteBase64StringValue(value.BytesValue.Span); break;
            case AnyValue.ValueOneofCase.ArrayValue:
                writer.WriteStartArray();
                foreach (var item in value.ArrayValue.Values)
                {
                    WriteJson(writer, item);
                }
                writer.WriteEndArray();
                break;
            case AnyValue.ValueOneofCase.KvlistValue:
                writer.WriteStartObject();
                foreach (var pair in value.KvlistValue.Values)
                {
                    writer.WritePropertyName(pair.Key);
                    WriteJson(writer, pair.Value);
                }
                writer.WriteEndObject();
                break;
            default: writer.WriteNullValue(); break;
        }
    }
}
