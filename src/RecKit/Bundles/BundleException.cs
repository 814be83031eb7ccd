namespace RecKit.Bundles;

/// <summary>A bundle that cannot be written or served: missing, partial, damaged or inconsistent. The message names the file.</summary>
public sealed class BundleException : Exception
{
    public BundleException(string message)
        : base(message)
    {
    }

    public BundleException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
