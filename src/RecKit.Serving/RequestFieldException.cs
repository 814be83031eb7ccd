namespace RecKit.Serving;

/// <summary>A request the service refuses because of one field: the HTTP layer answers 400 naming <see cref="Field"/>.</summary>
public sealed class RequestFieldException(string field, string message) : Exception(message)
{
    /// <summary>Most characters of a caller's text an error echoes.</summary>
    public const int EchoLimit = 64;

    public string Field { get; } = field;

    /// <summary>A caller's text as an error echoes it: at most <see cref="EchoLimit"/> characters, so a 100 KB field is not sent back whole.</summary>
    public static string Echo(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= EchoLimit ? text : text[..EchoLimit] + "…";
    }
}
