namespace RecKit.Persistence;

/// <summary>A model file that cannot be loaded: not a RecKit model, damaged, truncated, or of an unknown kind or version.</summary>
public sealed class ModelFormatException : Exception
{
    public ModelFormatException()
    {
    }

    public ModelFormatException(string message)
        : base(message)
    {
    }

    public ModelFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
