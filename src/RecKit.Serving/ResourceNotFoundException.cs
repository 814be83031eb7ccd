namespace RecKit.Serving;

/// <summary>A request for something that does not exist (an interaction id no longer stored): the HTTP layer answers 404 naming <see cref="Field"/>.</summary>
public sealed class ResourceNotFoundException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
