using System.Text;

namespace AspireProber.Dashboard.Components.Telemetry;

/// <summary>Builds page and fragment URLs carrying a page's filters, so a fragment renders exactly what its page did.</summary>
public static class PageUrl
{
    /// <summary><paramref name="path"/> with the non-empty <paramref name="parameters"/> as an escaped query string.</summary>
    public static string With(string path, params (string Name, string? Value)[] parameters)
    {
        var url = new StringBuilder(path);
        var separator = '?';
        foreach (var (name, value) in parameters)
        {
            if (!string.IsNullOrEmpty(value))
            {
                url.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
                separator = '&';
            }
        }
        return url.ToString();
    }
}
