using System.Threading.Channels;

namespace RecKit.Serving;

/// <summary>One write waiting for the next commit: appends, or other work run inside the batch's transaction.</summary>
/// <param name="Work">Any other write (an erasure, a delete, an item state, a read on the writer's own connection), run in the batch's transaction in queue order.</param>
internal sealed record PendingWrite<TWork>(IReadOnlyList<StoredInteraction>? Interactions, IReadOnlyList<StoredFeedback>? Feedback, TWork? Work, TaskCompletionSource<long[]> Done)
    where TWork : class
{
    /// <summary>Rows this write adds to a commit (a piece of work counts as one).</summary>
    public int Rows => (Interactions?.Count ?? 0) + (Feedback?.Count ?? 0) + (Work is null ? 0 : 1);
}

/// <summary>
/// Group commit for an interaction store: every write waits in one queue; a single writer takes everything queued (up to
/// <see cref="MaxRows"/> rows), hands it to the store's commit in one transaction and completes each write only after
/// the commit, with its own result. A caller acknowledged is therefore durable, and many concurrent callers share one
/// commit (one fsync). A commit that fails fails every write in it, with the store's message; nothing half-written is
/// visible (one transaction). Shared by the SQLite and PostgreSQL stores.
/// </summary>
internal sealed class GroupCommit<TWork> : IAsyncDisposable
    where TWork : class
{
    public const int MaxRows = 20_000;

    private readonly Channel<PendingWrite<TWork>> _queue = Channel.CreateUnbounded<PendingWrite<TWork>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<IReadOnlyList<PendingWrite<TWork>>, Task<long[][]>> _commit;
    private readonly Func<Exception, IOException?> _failure;
    private readonly string _store;
    private readonly Task _loop;
    private long _commits;

    /// <param name="commit">Writes one batch in one transaction and commits it; returns each write's result, in order.</param>
    /// <param name="failure">The error every write of a failed batch gets (null: the exception is not the store's, and is rethrown to the writes as it is).</param>
    /// <param name="store">The store's name, for the error of a write after it closed.</param>
    public GroupCommit(Func<IReadOnlyList<PendingWrite<TWork>>, Task<long[][]>> commit, Func<Exception, IOException?> failure, string store)
    {
        _commit = commit;
        _failure = failure;
        _store = store;
        _loop = Task.Run(WriteLoop);
    }

    /// <summary>Commits so far (each holding one or more writes).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    public Task<long[]> Enqueue(IReadOnlyList<StoredInteraction>? interactions, IReadOnlyList<StoredFeedback>? feedback, TWork? work)
    {
        var done = new TaskCompletionSource<long[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new PendingWrite<TWork>(interactions, feedback, work, done)))
        {
            done.SetException(new ObjectDisposedException(_store, "The interaction store is closed."));
        }

        return done.Task;
    }

    /// <summary>Stops taking writes and waits for the queued ones to be committed.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task WriteLoop()
    {
        var batch = new List<PendingWrite<TWork>>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            var rows = 0;
            while (rows < MaxRows && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
                rows += pending.Rows;
            }

            long[][] results;
            try
            {
                results = await _commit(batch).ConfigureAwait(false);
                Interlocked.Increment(ref _commits);
            }
            catch (Exception ex)
            {
                var error = _failure(ex) ?? ex;
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(error);
                }

                continue;
            }

            for (var b = 0; b < batch.Count; b++)
            {
                batch[b].Done.TrySetResult(results[b]);
            }
        }
    }
}
