namespace RecKit.Data;

/// <summary>
/// Splits one line of delimited text into field ranges, with RFC 4180 quoting: a field that starts with a quote runs
/// to the matching quote ("a,b" is one field) and a doubled quote inside it stands for one quote. Works on bytes
/// (the fast UTF-8 reader) and on chars (the text reader) alike, so both readers split every line the same way.
/// </summary>
internal static class DelimitedLine
{
    /// <summary>Why a line could not be split, or null.</summary>
    public const string UnterminatedQuote = "a quoted field has no closing quote on this line (fields spanning lines are not supported).";

    public const string TextAfterQuote = "a quoted field is followed by text before the next delimiter; a quote inside a quoted field is written as two quotes (\"\").";

    /// <summary>
    /// Finds the first <paramref name="needed"/> fields. A quoted field's range excludes its quotes and
    /// <paramref name="escaped"/> is set for a field holding doubled quotes (see <see cref="Unescape{T}"/>).
    /// </summary>
    /// <returns>The number of fields found (at most <paramref name="needed"/>), or -1 with <paramref name="problem"/> set.</returns>
    public static int Split<T>(ReadOnlySpan<T> line, ReadOnlySpan<T> delimiter, T quote, int needed, Span<int> starts, Span<int> ends, Span<bool> escaped, out string? problem)
        where T : unmanaged, IEquatable<T>
    {
        problem = null;
        var count = 0;
        var position = 0;
        while (count < needed)
        {
            escaped[count] = false;
            if (position < line.Length && line[position].Equals(quote))
            {
                var close = ClosingQuote(line, position + 1, quote, out escaped[count]);
                if (close < 0)
                {
                    problem = UnterminatedQuote;
                    return -1;
                }

                starts[count] = position + 1;
                ends[count] = close;
                count++;
                var after = close + 1;
                if (after == line.Length)
                {
                    break;
                }

                if (!line[after..].StartsWith(delimiter))
                {
                    problem = TextAfterQuote;
                    return -1;
                }

                position = after + delimiter.Length;
                continue;
            }

            var rest = line[position..];
            var at = delimiter.Length == 1 ? rest.IndexOf(delimiter[0]) : rest.IndexOf(delimiter);
            starts[count] = position;
            if (at < 0)
            {
                ends[count++] = line.Length;
                break;
            }

            ends[count++] = position + at;
            position += at + delimiter.Length;
        }

        return count;
    }

    /// <summary>Copies a quoted field's content with each doubled quote made single; returns the length written.</summary>
    public static int Unescape<T>(ReadOnlySpan<T> field, T quote, Span<T> destination)
        where T : unmanaged, IEquatable<T>
    {
        var written = 0;
        for (var i = 0; i < field.Length; i++)
        {
            destination[written++] = field[i];
            if (field[i].Equals(quote))
            {
                i++; // the second quote of the pair
            }
        }

        return written;
    }

    private static int ClosingQuote<T>(ReadOnlySpan<T> line, int from, T quote, out bool escaped)
        where T : unmanaged, IEquatable<T>
    {
        escaped = false;
        var i = from;
        while (true)
        {
            var at = line[i..].IndexOf(quote);
            if (at < 0)
            {
                return -1;
            }

            i += at;
            if (i + 1 < line.Length && line[i + 1].Equals(quote))
            {
                escaped = true;
                i += 2;
                continue;
            }

            return i;
        }
    }
}
