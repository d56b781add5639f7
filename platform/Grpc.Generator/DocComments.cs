using System.Collections.Generic;
using System.Linq;

namespace AspireProber.Grpc.Generator;

/// <summary>Turns a proto comment into XML doc comment lines.</summary>
internal static class DocComments
{
    /// <summary>
    /// The <c>/// &lt;summary&gt;</c> lines for a comment, or for <paramref name="fallback"/> (already XML) when the
    /// proto has none. Proto comments are plain text, so they are escaped.
    /// </summary>
    public static IEnumerable<string> Summary(string protoComment, string fallback)
    {
        var lines = protoComment.Split('\n').Select(line => line.Trim()).ToList();
        while (lines.Count > 0 && lines[0].Length == 0)
        {
            lines.RemoveAt(0);
        }
        while (lines.Count > 0 && lines[lines.Count - 1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        yield return "/// <summary>";
        if (lines.Count == 0)
        {
            yield return "/// " + fallback;
        }
        foreach (var line in lines)
        {
            yield return line.Length == 0 ? "///" : "/// " + Escape(line);
        }
        yield return "/// </summary>";
    }

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
