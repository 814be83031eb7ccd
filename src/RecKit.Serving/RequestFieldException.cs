namespace RecKit.Serving;

/// <summary>A request the service refuses because of one field: the HTTP layer answers 400 naming <see cref="Field"/>.</summary>
public sealed class RequestFieldException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
