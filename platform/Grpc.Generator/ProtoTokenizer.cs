using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace AspireProber.Grpc.Generator;

/// <summary>
/// Splits proto source into tokens. Comments are not tokens: a comment block that ends on the line before a token
/// (or on its line) becomes that token's <see cref="ProtoToken.LeadingComment"/>, while a comment on the previous
/// token's line and blocks cut off by a blank line are dropped — protoc's rules for what documents a declaration.
/// </summary>
internal sealed class ProtoTokenizer
{
    private readonly string text;
    private int position;
    private int line;
    private int lineStart;
    private int previousTokenEndLine = -1;
    private string? pendingComment;
    private int pendingCommentEndLine;

    private ProtoTokenizer(string text) => this.text = text;

    /// <summary>All tokens of the text, ending with a single <see cref="ProtoTokenKind.End"/> token.</summary>
    public static List<ProtoToken> Tokenize(string text)
    {
        var tokenizer = new ProtoTokenizer(text);
        var tokens = new List<ProtoToken>();
        ProtoToken token;
        do
        {
            token = tokenizer.Next();
            tokens.Add(token);
        }
        while (token.Kind != ProtoTokenKind.End);
        return tokens;
    }

    private ProtoToken Next()
    {
        SkipWhitespaceAndComments();
        var startLine = line;
        var comment = pendingComment is not null && startLine <= pendingCommentEndLine + 1 ? pendingComment : "";
        pendingComment = null;
        var start = position;
        var startColumn = position - lineStart;

        if (position >= text.Length)
        {
            return new ProtoToken(ProtoTokenKind.End, "", SpanFrom(start, startLine, startColumn), comment);
        }

        var c = text[position];
        ProtoTokenKind kind;
        string value;
        if (IsLetter(c))
        {
            while (position < text.Length && (IsLetter(text[position]) || IsDigit(text[position])))
            {
                position++;
            }
            kind = ProtoTokenKind.Identifier;
            value = text.Substring(start, position - start);
        }
        else if (IsDigit(c) || (c == '.' && position + 1 < text.Length && IsDigit(text[position + 1])))
        {
            ReadNumber();
            kind = ProtoTokenKind.Number;
            value = text.Substring(start, position - start);
        }
        else if (c == '"' || c == '\'')
        {
            kind = ProtoTokenKind.String;
            value = ReadString(c, startLine, startColumn);
        }
        else if (c > ' ' && c < 127)
        {
            position++;
            kind = ProtoTokenKind.Symbol;
            value = c.ToString();
        }
        else
        {
            position++;
            throw new ProtoSyntaxException(
                string.Format(CultureInfo.InvariantCulture, "Invalid character U+{0:X4} in proto source.", (int)c),
                SpanFrom(start, startLine, startColumn));
        }

        previousTokenEndLine = line;
        return new ProtoToken(kind, value, SpanFrom(start, startLine, startColumn), comment);
    }

    private void SkipWhitespaceAndComments()
    {
        while (position < text.Length)
        {
            var c = text[position];
            if (c == '\n')
            {
                position++;
                line++;
                lineStart = position;
            }
            else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
            {
                position++;
            }
            else if (c == '/' && Peek(1) == '/')
            {
                var commentLine = line;
                var end = text.IndexOf('\n', position);
                if (end < 0)
                {
                    end = text.Length;
                }
                AddComment(text.Substring(position + 2, end - position - 2).TrimEnd('\r'), commentLine, commentLine);
                position = end;
            }
            else if (c == '/' && Peek(1) == '*')
            {
                ReadBlockComment();
            }
            else
            {
                return;
            }
        }
    }

    private void ReadBlockComment()
    {
        var start = position;
        var startLine = line;
        var startColumn = position - lineStart;
        var end = text.IndexOf("*/", position + 2, System.StringComparison.Ordinal);
        if (end < 0)
        {
            position = text.Length;
            throw new ProtoSyntaxException("Comment started here is never closed: add \"*/\".", SpanFrom(start, startLine, startColumn, start + 2));
        }

        var body = text.Substring(position + 2, end - position - 2);
        for (var i = position; i < end; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        position = end + 2;
        AddComment(StripBlockCommentStars(body), startLine, line);
    }

    // A comment on the line where the previous token ended documents that token, not the next one; a blank line
    // between comments detaches everything above it.
    private void AddComment(string comment, int startLine, int endLine)
    {
        if (startLine == previousTokenEndLine)
        {
            return;
        }
        pendingComment = pendingComment is null || startLine > pendingCommentEndLine + 1
            ? comment
            : pendingComment + "\n" + comment;
        pendingCommentEndLine = endLine;
    }

    private static string StripBlockCommentStars(string body)
    {
        // Continuation lines are usually " * text": drop the indentation and the star, keep the text's own spacing.
        var lines = body.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd();
            if (i > 0)
            {
                line = line.TrimStart();
                line = line.StartsWith("*", System.StringComparison.Ordinal) ? line.Substring(1) : line;
            }
            lines[i] = line;
        }
        return string.Join("\n", lines);
    }

    private void ReadNumber()
    {
        var isHex = text[position] == '0' && (Peek(1) == 'x' || Peek(1) == 'X');
        while (position < text.Length)
        {
            var c = text[position];
            var isExponentSign = (c == '+' || c == '-') && !isHex && (text[position - 1] == 'e' || text[position - 1] == 'E');
            if (!(IsLetter(c) || IsDigit(c) || c == '.' || isExponentSign))
            {
                return;
            }
            position++;
        }
    }

    private string ReadString(char quote, int startLine, int startColumn)
    {
        var start = position;
        var value = new StringBuilder();
        position++;
        while (true)
        {
            if (position >= text.Length || text[position] == '\n')
            {
                throw new ProtoSyntaxException("String literal is never closed: add the closing quote on the same line.", SpanFrom(start, startLine, startColumn));
            }
            var c = text[position++];
            if (c == quote)
            {
                return value.ToString();
            }
            if (c != '\\')
            {
                value.Append(c);
                continue;
            }
            if (position >= text.Length)
            {
                continue;
            }
            ReadEscape(value);
        }
    }

    private void ReadEscape(StringBuilder value)
    {
        var c = text[position++];
        switch (c)
        {
            case 'n': value.Append('\n'); break;
            case 'r': value.Append('\r'); break;
            case 't': value.Append('\t'); break;
            case 'a': value.Append('\a'); break;
            case 'b': value.Append('\b'); break;
            case 'f': value.Append('\f'); break;
            case 'v': value.Append('\v'); break;
            case 'x':
            case 'X': value.Append((char)ReadDigits(16, 2)); break;
            case 'u': AppendCodePoint(value, ReadDigits(16, 4)); break;
            case 'U': AppendCodePoint(value, ReadDigits(16, 8)); break;
            default:
                if (c >= '0' && c <= '7')
                {
                    position--;
                    value.Append((char)ReadDigits(8, 3));
                }
                else
                {
                    // \\, \', \", \? and anything protoc would reject all stand for the character itself.
                    value.Append(c);
                }
                break;
        }
    }

    // Lone surrogates and out-of-range values would make ConvertFromUtf32 throw; the generator never uses such
    // strings, so a replacement character keeps the tokenizer total.
    private static void AppendCodePoint(StringBuilder value, int codePoint) =>
        value.Append(codePoint < 0 || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF) ? "\uFFFD" : char.ConvertFromUtf32(codePoint));

    private int ReadDigits(int radix, int maxDigits)
    {
        var result = 0;
        for (var i = 0; i < maxDigits && position < text.Length; i++)
        {
            var digit = DigitValue(text[position]);
            if (digit < 0 || digit >= radix)
            {
                break;
            }
            result = result * radix + digit;
            position++;
        }
        return result;
    }

    private static int DigitValue(char c) =>
        c >= '0' && c <= '9' ? c - '0'
        : c >= 'a' && c <= 'f' ? c - 'a' + 10
        : c >= 'A' && c <= 'F' ? c - 'A' + 10
        : -1;

    private char Peek(int offset) => position + offset < text.Length ? text[position + offset] : '\0';

    private SourceSpan SpanFrom(int start, int startLine, int startColumn) => SpanFrom(start, startLine, startColumn, position);

    private SourceSpan SpanFrom(int start, int startLine, int startColumn, int end) =>
        new(start, end - start, startLine, startColumn, line, end - lineStart);

    private static bool IsLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';

    private static bool IsDigit(char c) => c >= '0' && c <= '9';
}
