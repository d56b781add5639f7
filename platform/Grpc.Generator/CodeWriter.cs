using System.Text;

namespace AspireProber.Grpc.Generator;

/// <summary>A StringBuilder that indents lines and braces, so the emitter reads like the code it writes.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder text = new();
    private int depth;

    public void Line(string line = "")
    {
        if (line.Length > 0)
        {
            text.Append(' ', depth * 4).Append(line);
        }
        text.Append('\n');
    }

    public void Open(string header)
    {
        Line(header);
        Line("{");
        depth++;
    }

    public void Close()
    {
        depth--;
        Line("}");
    }

    public override string ToString() => text.ToString();
}
