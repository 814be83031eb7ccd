namespace RecKit.Data;

/// <summary>
/// Input that cannot be read as asked. The message names the file, the line (1-based) and the field,
/// and says what was expected, so it can be shown to a person as it is.
/// </summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException()
    {
    }

    public DataFormatException(string message)
        : base(message)
    {
    }

    public DataFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DataFormatException(string path, long line, string? field, string problem)
        : base(Format(path, line, field, problem))
    {
        Path = path;
        Line = line;
        Field = field;
    }

    public string? Path { get; }

    /// <summary>1-based line number, or 0 when the problem concerns the whole file.</summary>
    public long Line { get; }

    public string? Field { get; }

    private static string Format(string path, long line, string? field, string problem)
    {
        var where = line > 0 ? $"{path}:{line}" : path;
        return field is null ? $"{where}: {problem}" : $"{where}: field '{field}': {problem}";
    }
}
