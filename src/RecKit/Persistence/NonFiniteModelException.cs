namespace RecKit.Persistence;

/// <summary>A model that was about to be written holds NaN or infinite parameters; nothing was written.</summary>
public sealed class NonFiniteModelException : InvalidOperationException
{
    public NonFiniteModelException()
    {
    }

    public NonFiniteModelException(string message)
        : base(message)
    {
    }

    public NonFiniteModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
