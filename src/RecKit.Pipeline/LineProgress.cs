namespace RecKit.Pipeline;

/// <summary>
/// An <see cref="IProgress{T}"/> that reports on the caller's thread, in order (System.Progress posts to the thread
/// pool, which can reorder lines of a console log).
/// </summary>
public sealed class LineProgress(Action<string> report) : IProgress<string>
{
    public void Report(string value) => report(value);
}
