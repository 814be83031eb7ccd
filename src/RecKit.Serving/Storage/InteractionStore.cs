using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace RecKit.Serving;

/// <summary>
/// The service's durable log of interactions and of impressions and clicks: an embedded SQLite file (WAL journal,
/// synchronous=FULL, so a committed transaction survives a power cut), created and migrated on open.
/// <para>
/// Writes are group-committed: every append waits in one queue; a single writer takes everything queued (up to
/// <see cref="MaxRowsPerCommit"/> rows), writes it in one transaction and completes each waiting append only after the
/// commit. A caller acknowledged by <see cref="AppendAsync"/> is therefore durable, and many concurrent callers share
/// one fsync. A failed commit fails every append in it; nothing half-written is ever visible (one transaction).
/// </para>
/// Schema (version 1, PRAGMA user_version): interactions(id, user_id, item_id, type, value, ts, received_utc);
/// feedback(id, user_id, item_id, kind, variant, arm, bundle, ts). Rows are never deleted, so ids only grow (the
/// service reads by id: what came after a bundle); no other index is kept, as every insert would pay for it.
/// </summary>
public sealed class InteractionStore : IAsyncDisposable
{
    public const int MaxRowsPerCommit = 20_000;

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE interactions (
            id INTEGER PRIMARY KEY,
            user_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            type TEXT NOT NULL,
            value REAL NOT NULL,
            ts INTEGER NOT NULL,
            received_utc INTEGER NOT NULL);
        CREATE TABLE feedback (
            id INTEGER PRIMARY KEY,
            user_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            variant TEXT NOT NULL,
            arm TEXT NOT NULL,
            bundle TEXT NOT NULL,
            ts INTEGER NOT NULL);
        """,
    ];

    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    private InteractionStore(string path, SqliteConnection writer)
    {
        Path = path;
        _connectionString = writer.ConnectionString;
        _writer = writer;
        _loop = Task.Run(WriteLoop);
    }

    public string Path { get; }

    /// <summary>Commits so far (each holding one or more appends).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    private long _commits;

    /// <summary>Opens (creating and migrating as needed) the store at <paramref name="path"/>.</summary>
    public static InteractionStore Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;");
            Migrate(connection, full);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new IOException($"{full}: cannot open the interaction store: {ex.Message}", ex);
        }

        return new InteractionStore(full, connection);
    }

    /// <summary>Appends interactions; completes with their row ids once they are durable.</summary>
    public Task<long[]> AppendAsync(IReadOnlyList<StoredInteraction> interactions) => Enqueue(interactions, null);

    /// <summary>Appends impressions or clicks; completes once they are durable.</summary>
    public Task AppendFeedbackAsync(IReadOnlyList<StoredFeedback> feedback) => Enqueue(null, feedback);

    /// <summary>Interactions with a row id above <paramref name="afterId"/>, in order.</summary>
    public IEnumerable<StoredInteraction> ReadSince(long afterId)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, user_id, item_id, type, value, ts FROM interactions WHERE id > $after ORDER BY id";
        command.Parameters.AddWithValue("$after", afterId);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return new StoredInteraction(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetDouble(4), reader.GetInt64(5)) { Id = reader.GetInt64(0) };
        }
    }

    /// <summary>Every impression and click, in order.</summary>
    public IEnumerable<StoredFeedback> ReadFeedback()
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT user_id, item_id, kind, variant, arm, bundle, ts FROM feedback ORDER BY id";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return new StoredFeedback(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetInt64(6));
        }
    }

    /// <summary>The highest interaction row id (0 when empty).</summary>
    public long LastInteractionId()
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(id), 0) FROM interactions";
        return (long)command.ExecuteScalar()!;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _writer.Dispose();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void Migrate(SqliteConnection connection, string path)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (version > Migrations.Length)
        {
            throw new IOException($"{path}: schema version {version} is newer than this RecKit knows ({Migrations.Length}).");
        }

        for (var v = version; v < Migrations.Length; v++)
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Migrations[v] + $"\nPRAGMA user_version = {v + 1};";
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    private SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private Task<long[]> Enqueue(IReadOnlyList<StoredInteraction>? interactions, IReadOnlyList<StoredFeedback>? feedback)
    {
        var done = new TaskCompletionSource<long[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Pending(interactions, feedback, done)))
        {
            done.SetException(new ObjectDisposedException(nameof(InteractionStore), "The interaction store is closed."));
        }

        return done.Task;
    }

    private async Task WriteLoop()
    {
        var batch = new List<Pending>();
        using var insertInteraction = _writer.CreateCommand();
        insertInteraction.CommandText = "INSERT INTO interactions (user_id, item_id, type, value, ts, received_utc) VALUES ($u, $i, $t, $v, $ts, $r)";
        using var lastId = _writer.CreateCommand();
        lastId.CommandText = "SELECT last_insert_rowid()";
        var iu = insertInteraction.Parameters.Add("$u", SqliteType.Text);
        var ii = insertInteraction.Parameters.Add("$i", SqliteType.Text);
        var it = insertInteraction.Parameters.Add("$t", SqliteType.Text);
        var iv = insertInteraction.Parameters.Add("$v", SqliteType.Real);
        var its = insertInteraction.Parameters.Add("$ts", SqliteType.Integer);
        var ir = insertInteraction.Parameters.Add("$r", SqliteType.Integer);
        using var insertFeedback = _writer.CreateCommand();
        insertFeedback.CommandText = "INSERT INTO feedback (user_id, item_id, kind, variant, arm, bundle, ts) VALUES ($u, $i, $k, $v, $a, $b, $ts)";
        var fu = insertFeedback.Parameters.Add("$u", SqliteType.Text);
        var fi = insertFeedback.Parameters.Add("$i", SqliteType.Text);
        var fk = insertFeedback.Parameters.Add("$k", SqliteType.Text);
        var fv = insertFeedback.Parameters.Add("$v", SqliteType.Text);
        var fa = insertFeedback.Parameters.Add("$a", SqliteType.Text);
        var fb = insertFeedback.Parameters.Add("$b", SqliteType.Text);
        var fts = insertFeedback.Parameters.Add("$ts", SqliteType.Integer);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            var rows = 0;
            while (rows < MaxRowsPerCommit && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
                rows += (pending.Interactions?.Count ?? 0) + (pending.Feedback?.Count ?? 0);
            }

            var results = new long[batch.Count][];
            try
            {
                using var transaction = _writer.BeginTransaction();
                insertInteraction.Transaction = transaction;
                insertFeedback.Transaction = transaction;
                var received = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                for (var b = 0; b < batch.Count; b++)
                {
                    var ids = new long[batch[b].Interactions?.Count ?? 0];
                    for (var j = 0; j < ids.Length; j++)
                    {
                        var x = batch[b].Interactions![j];
                        (iu.Value, ii.Value, it.Value, iv.Value, its.Value, ir.Value) = (x.User, x.Item, x.Type, x.Value, x.Timestamp, received);
                        insertInteraction.ExecuteNonQuery();
                    }

                    if (ids.Length > 0)
                    {
                        // One writer, one transaction, no deletes: this append's rows got consecutive ids ending here.
                        lastId.Transaction = transaction;
                        var last = (long)lastId.ExecuteScalar()!;
                        for (var j = 0; j < ids.Length; j++)
                        {
                            ids[j] = last - ids.Length + 1 + j;
                        }
                    }

                    foreach (var f in batch[b].Feedback ?? [])
                    {
                        (fu.Value, fi.Value, fk.Value, fv.Value, fa.Value, fb.Value, fts.Value) = (f.User, f.Item, f.Kind, f.Variant, f.Arm, f.Bundle, f.Timestamp);
                        insertFeedback.ExecuteNonQuery();
                    }

                    results[b] = ids;
                }

                transaction.Commit();
                Interlocked.Increment(ref _commits);
            }
            catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException)
            {
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(new IOException($"{Path}: the write failed and nothing of it was stored: {ex.Message}", ex));
                }

                continue;
            }

            for (var b = 0; b < batch.Count; b++)
            {
                batch[b].Done.TrySetResult(results[b]);
            }
        }
    }

    private sealed record Pending(IReadOnlyList<StoredInteraction>? Interactions, IReadOnlyList<StoredFeedback>? Feedback, TaskCompletionSource<long[]> Done);
}
