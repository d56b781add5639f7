using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace AspireProber.ProbeTarget;

/// <summary>
/// Query parameters read by hand rather than bound by minimal APIs, so a bad value gets a 400 that says what to fix
/// instead of an empty one.
/// </summary>
internal static class QueryParameters
{
    public static bool TryGetInt(HttpRequest request, string name, long min, long max, long defaultValue, out long value, out IResult? error)
    {
        var raw = request.Query[name].ToString();
        error = null;
        if (raw.Length == 0)
        {
            value = defaultValue;
            return true;
        }
        if (long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
        {
            return true;
        }
        error = BadRequest($"'{name}' must be a whole number from {min} to {max}, e.g. ?{name}={Math.Clamp(defaultValue, min, max)}; got '{raw}'.");
        return false;
    }

    public static bool TryGetFraction(HttpRequest request, string name, double defaultValue, out double value, out IResult? error)
    {
        var raw = request.Query[name].ToString();
        error = null;
        if (raw.Length == 0)
        {
            value = defaultValue;
            return true;
        }
        if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value is >= 0 and <= 1)
        {
            return true;
        }
        error = BadRequest($"'{name}' must be a number from 0 to 1 (the share of requests that fail), e.g. ?{name}=0.2; got '{raw}'.");
        return false;
    }

    public static IResult BadRequest(string message) => Results.Text(message + "\n", "text/plain", statusCode: StatusCodes.Status400BadRequest);
}
