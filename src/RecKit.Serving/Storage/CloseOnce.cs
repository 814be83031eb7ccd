namespace RecKit.Serving;

/// <summary>
/// An asynchronous close run once however many owners dispose, even at the same time (the server's host disposes the
/// service when it stops and its container disposes it again): every caller awaits the one close. Two closes racing
/// over one SQLite connection disposed its commands twice at once.
/// </summary>
internal sealed class CloseOnce(Func<Task> close)
{
    private readonly Lazy<Task> _close = new(close, LazyThreadSafetyMode.ExecutionAndPublication);

    public ValueTask RunAsync() => new(_close.Value);
}
