namespace AspireProber.Dashboard.Otlp;

/// <summary>An export that breaks the OTLP rules; its message names the offending field and says what is expected.</summary>
public sealed class OtlpValidationException(string message) : Exception(message);
