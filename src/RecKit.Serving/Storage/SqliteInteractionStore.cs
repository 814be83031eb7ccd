using Microsoft.Data.Sqlite;

namespace RecKit.Serving;

/// <summary>
/// The <see cref="IInteractionStore"/> embedded in one SQLite file (WAL journal,
/// synchronous=FULL, so a committed transaction survives a power cut), created and migrated on open.
/// <para>
/// Writes are group-committed: every append waits in one queue; a single writer takes everything queued (up to
/// <see cref="MaxRowsPerCommit"/> rows), writes it in one transaction and completes each waiting append only after the
/// commit. A caller acknowledged by <see cref="AppendAsync"/> is therefore durable, and many concurrent callers share
/// one fsync. A failed commit fails every append in it; nothing half-written is ever visible (one transaction).
/// </para>
/// Schema (PRAGMA user_version 6): interactions(id, user_id, item_id, type, value, ts, received_utc);
/// feedback(id, user_id, item_id, kind, variant, arm, bundle, ts, experiment); store_meta(key, value) holding the highest
/// interaction id ever given; erased_users(user_hash, erasure, erased_utc): who was erased (a hash, never the id) and the erasure's number (store_meta
/// 'erasures' counts them); item_states(item_id, state, updated_utc): items hidden or deleted (<see cref="ItemState"/>); feature_rows(owner, id, title, fields, seq, updated_utc): items added or updated and users' features set through the service (<see cref="FeatureRow"/>, fields as JSON). The writer gives ids itself, from that high-water mark, so erasing a user's rows (the
/// newest among them) never lets an id be given twice. No index but the ids: one on user_id made batched ingest 6×
/// slower (2,400 → 430 requests of 100 a second under wrk), and on one node per-user reads and erasure are rare
/// (the live state is replayed by id), so they scan.
/// </summary>
public sealed class SqliteInteractionStore : IInteractionStore
{
    public const int MaxRowsPerCommit = GroupCommit<Work>.MaxRows;

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
        """
        CREATE TABLE store_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
        """,
        """
        ALTER TABLE feedback ADD COLUMN experiment TEXT NOT NULL DEFAULT '';
        """,
        """
        CREATE TABLE erased_users (user_hash TEXT PRIMARY KEY, erasure INTEGER NOT NULL, erased_utc INTEGER NOT NULL);
        """,
        """
        CREATE TABLE item_states (item_id TEXT PRIMARY KEY, state INTEGER NOT NULL, updated_utc INTEGER NOT NULL);
        """,
        """
        CREATE TABLE feature_rows (owner INTEGER NOT NULL, id TEXT NOT NULL, title TEXT, fields TEXT NOT NULL, seq INTEGER NOT NULL, updated_utc INTEGER NOT NULL, PRIMARY KEY (owner, id));
        """,
    ];

    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly InsertCommands _insert;
    private readonly GroupCommit<Work> _writes;
    private readonly CloseOnce _close;

    private long _lastId; // the highest interaction id ever given; only the writer moves it

    private SqliteInteractionStore(string path, SqliteConnection writer)
    {
        Path = path;
        _lastId = HighWater(writer);
        _connectionString = writer.ConnectionString;
        _writer = writer;
        _insert = new InsertCommands(writer);
        _writes = new GroupCommit<Work>(batch => Task.FromResult(Commit(batch)), Failure, nameof(SqliteInteractionStore));
        _close = new CloseOnce(CloseAsync);
    }

    /// <summary>A write other than an append, run in the batch's transaction with the highest id given so far.</summary>
    internal delegate long[] Work(SqliteConnection connection, SqliteTransaction transaction, long lastGiven);

    public string Path { get; }

    public string Location => Path;

    /// <summary>A fault injected just before each commit (tests: a commit that fails must fail every append in it).</summary>
    internal Action? BeforeCommit { get; set; }

    /// <summary>The writer connection's durability settings, read on the writer itself: (synchronous, journal_mode).</summary>
    internal async Task<(long Synchronous, string JournalMode)> DurabilityAsync()
    {
        string? mode = null;
        var synchronous = (await Enqueue(null, null, (connection, transaction, _) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "PRAGMA journal_mode";
            mode = (string)command.ExecuteScalar()!;
            command.CommandText = "PRAGMA synchronous";
            return [(long)command.ExecuteScalar()!];
        }).ConfigureAwait(false))[0];
        return (synchronous, mode!);
    }

    /// <summary>Commits so far (each holding one or more appends).</summary>
    public long Commits => _writes.Commits;

    /// <summary>Opens (creating and migrating as needed) the store at <paramref name="path"/>.</summary>
    public static SqliteInteractionStore Open(string path)
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

        return new SqliteInteractionStore(full, connection);
    }

    /// <summary>Appends interactions; completes with their row ids once they are durable.</summary>
    public Task<long[]> AppendAsync(IReadOnlyList<StoredInteraction> interactions) => Enqueue(interactions, null, null);

    /// <summary>Appends impressions or clicks; completes once they are durable.</summary>
    public Task AppendFeedbackAsync(IReadOnlyList<StoredFeedback> feedback) => Enqueue(null, feedback, null);

    /// <summary>Deletes the user's rows in the writer's queue (after every append before it), in one transaction.</summary>
    public async Task<int> EraseUserAsync(string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var removed = await Enqueue(null, null, (connection, transaction, lastGiven) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = KeepHighWater + """
                DELETE FROM interactions WHERE user_id = $user;
                SELECT changes();
                DELETE FROM feedback WHERE user_id = $user;
                DELETE FROM feature_rows WHERE owner = 1 AND id = $user;
                INSERT INTO store_meta (key, value) VALUES ('erasures', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1;
                INSERT INTO erased_users (user_hash, erasure, erased_utc) VALUES ($hash, (SELECT value FROM store_meta WHERE key = 'erasures'), $now)
                    ON CONFLICT (user_hash) DO UPDATE SET erasure = excluded.erasure, erased_utc = excluded.erased_utc;
                """;
            command.Parameters.AddWithValue("$last", lastGiven);
            command.Parameters.AddWithValue("$user", user);
            command.Parameters.AddWithValue("$hash", RecKit.Data.UserErasure.Hash(user));
            command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            return [(long)command.ExecuteScalar()!];
        }).ConfigureAwait(false);
        return (int)removed[0];
    }

    /// <summary>Raises the stored high-water mark to $last: deleting the newest rows must not let their ids be given again after a reopen.</summary>
    private const string KeepHighWater = "INSERT INTO store_meta (key, value) VALUES ('last_interaction_id', $last) ON CONFLICT (key) DO UPDATE SET value = MAX(value, excluded.value);\n";

    /// <summary>One user's interactions, in id order.</summary>
    public IEnumerable<StoredInteraction> ReadUser(string user) => ReadInteractions("user_id = $value", user);

    /// <summary>Deletes one interaction durably; completes with it, or null when no row has that id.</summary>
    public async Task<StoredInteraction?> DeleteInteractionAsync(long id)
    {
        StoredInteraction? deleted = null;
        await Enqueue(null, null, (connection, transaction, lastGiven) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT {StoredRows.InteractionColumns} FROM interactions WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            using (var reader = command.ExecuteReader())
            {
                if (!reader.Read())
                {
                    return [];
                }

                deleted = StoredRows.Interaction(reader);
            }

            command.CommandText = KeepHighWater + "DELETE FROM interactions WHERE id = $id;";
            command.Parameters.AddWithValue("$last", lastGiven);
            command.ExecuteNonQuery();
            return [id];
        }).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>Records an item's state durably (visible: the row goes).</summary>
    public Task SetItemStateAsync(string item, ItemState state)
    {
        ArgumentNullException.ThrowIfNull(item);
        return Enqueue(null, null, (connection, transaction, _) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = state == ItemState.Visible
                ? "DELETE FROM item_states WHERE item_id = $item"
                : "INSERT INTO item_states (item_id, state, updated_utc) VALUES ($item, $state, $now) ON CONFLICT (item_id) DO UPDATE SET state = excluded.state, updated_utc = excluded.updated_utc";
            command.Parameters.AddWithValue("$item", item);
            command.Parameters.AddWithValue("$state", (int)state);
            command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
            return [];
        });
    }

    /// <summary>Stores the row in the writer's queue; an update keeps the row's first sequence.</summary>
    public async Task<long> PutFeaturesAsync(FeatureOwner owner, string id, string? title, IReadOnlyDictionary<string, string?> fields)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(fields);
        var json = StoredRows.Fields(fields);
        var sequence = await Enqueue(null, null, (connection, transaction, _) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO feature_rows (owner, id, title, fields, seq, updated_utc)
                    VALUES ($owner, $id, $title, $fields, (SELECT COALESCE(MAX(seq), 0) + 1 FROM feature_rows WHERE owner = $owner), $now)
                    ON CONFLICT (owner, id) DO UPDATE SET title = excluded.title, fields = excluded.fields, updated_utc = excluded.updated_utc;
                SELECT seq FROM feature_rows WHERE owner = $owner AND id = $id;
                """;
            command.Parameters.AddWithValue("$owner", (int)owner);
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$title", (object?)title ?? DBNull.Value);
            command.Parameters.AddWithValue("$fields", json);
            command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            return [(long)command.ExecuteScalar()!];
        }).ConfigureAwait(false);
        return sequence[0];
    }

    /// <summary>Deletes the row in the writer's queue.</summary>
    public async Task<bool> DeleteFeaturesAsync(FeatureOwner owner, string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var deleted = await Enqueue(null, null, (connection, transaction, _) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM feature_rows WHERE owner = $owner AND id = $id; SELECT changes();";
            command.Parameters.AddWithValue("$owner", (int)owner);
            command.Parameters.AddWithValue("$id", id);
            return [(long)command.ExecuteScalar()!];
        }).ConfigureAwait(false);
        return deleted[0] > 0;
    }

    /// <summary>Every stored features row of the owner kind, in sequence order.</summary>
    public IReadOnlyList<FeatureRow> ReadFeatures(FeatureOwner owner)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {StoredRows.FeatureColumns} FROM feature_rows WHERE owner = $owner ORDER BY seq";
        command.Parameters.AddWithValue("$owner", (int)owner);
        using var reader = command.ExecuteReader();
        return StoredRows.FeatureRows(reader);
    }

    /// <summary>Every item that is not visible, with its state.</summary>
    public IReadOnlyDictionary<string, ItemState> ItemStates() => ReadKeyed("SELECT item_id, state FROM item_states", reader => (ItemState)reader.GetInt32(1));

    /// <summary>Every erased user's hash (<see cref="RecKit.Data.UserErasure.Hash"/>) and the number of their (latest) erasure, counting from 1.</summary>
    public IReadOnlyDictionary<string, long> ErasedUsers() => ReadKeyed("SELECT user_hash, erasure FROM erased_users", reader => reader.GetInt64(1));

    /// <summary>A two-column query as a dictionary: the first column (text) to the value <paramref name="value"/> reads from the row.</summary>
    private Dictionary<string, T> ReadKeyed<T>(string sql, Func<SqliteDataReader, T> value)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new Dictionary<string, T>(StringComparer.Ordinal);
        while (reader.Read())
        {
            rows[reader.GetString(0)] = value(reader);
        }

        return rows;
    }

    /// <summary>Interactions with a row id above <paramref name="afterId"/>, in order.</summary>
    public IEnumerable<StoredInteraction> ReadSince(long afterId) => ReadInteractions("id > $value", afterId);

    /// <summary>The interactions matching <paramref name="where"/> (one parameter, $value), in id order.</summary>
    private IEnumerable<StoredInteraction> ReadInteractions(string where, object value)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {StoredRows.InteractionColumns} FROM interactions WHERE {where} ORDER BY id";
        command.Parameters.AddWithValue("$value", value);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return StoredRows.Interaction(reader);
        }
    }

    /// <summary>Every impression and click, in order.</summary>
    public IEnumerable<StoredFeedback> ReadFeedback()
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {StoredRows.FeedbackColumns} FROM feedback ORDER BY id";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return StoredRows.Feedback(reader);
        }
    }

    /// <summary>The highest interaction id ever given (0 when none).</summary>
    public long LastInteractionId()
    {
        using var connection = OpenReader();
        return HighWater(connection);
    }

    private static long HighWater(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(COALESCE((SELECT MAX(id) FROM interactions), 0), COALESCE((SELECT value FROM store_meta WHERE key = 'last_interaction_id'), 0))";
        return (long)command.ExecuteScalar()!;
    }

    public ValueTask DisposeAsync() => _close.RunAsync();

    private async Task CloseAsync()
    {
        await _writes.DisposeAsync().ConfigureAwait(false);
        _insert.Dispose();
        _writer.Dispose();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Brings the schema to the newest version, each step in a write transaction that reads the version again inside
    /// it: two processes opening the same new file do not both run a step.
    /// </summary>
    private static void Migrate(SqliteConnection connection, string path)
    {
        while (true)
        {
            using var transaction = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: the write lock first
            using var read = connection.CreateCommand();
            read.Transaction = transaction;
            read.CommandText = "PRAGMA user_version";
            var version = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (version > Migrations.Length)
            {
                throw new IOException($"{path}: schema version {version} is newer than this RecKit knows ({Migrations.Length}).");
            }

            if (version == Migrations.Length)
            {
                return;
            }

            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Migrations[version] + $"\nPRAGMA user_version = {version + 1};";
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

    private Task<long[]> Enqueue(IReadOnlyList<StoredInteraction>? interactions, IReadOnlyList<StoredFeedback>? feedback, Work? work) =>
        _writes.Enqueue(interactions, feedback, work);

    private IOException? Failure(Exception ex) =>
        ex is SqliteException or InvalidOperationException or IOException
            ? new IOException($"{Path}: the write failed and nothing of it was stored: {ex.Message}", ex)
            : null;

    /// <summary>One batch in one transaction: ids given here, above every id ever given (one writer).</summary>
    private long[][] Commit(IReadOnlyList<PendingWrite<Work>> batch)
    {
        var results = new long[batch.Count][];
        var lastId = _lastId;
        using var transaction = _writer.BeginTransaction();
        _insert.Interaction.Transaction = transaction;
        _insert.Feedback.Transaction = transaction;
        var received = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var b = 0; b < batch.Count; b++)
        {
            if (batch[b].Work is { } work)
            {
                results[b] = work(_writer, transaction, lastId);
                continue;
            }

            var ids = new long[batch[b].Interactions?.Count ?? 0];
            for (var j = 0; j < ids.Length; j++)
            {
                ids[j] = ++lastId;
                _insert.Add(ids[j], batch[b].Interactions![j], received);
            }

            foreach (var f in batch[b].Feedback ?? [])
            {
                _insert.Add(f);
            }

            results[b] = ids;
        }

        BeforeCommit?.Invoke();
        transaction.Commit();
        _lastId = lastId;
        return results;
    }

    /// <summary>The writer's two prepared inserts and their parameters.</summary>
    private sealed class InsertCommands : IDisposable
    {
        private readonly SqliteParameter[] _i;
        private readonly SqliteParameter[] _f;

        public InsertCommands(SqliteConnection writer)
        {
            Interaction = writer.CreateCommand();
            Interaction.CommandText = "INSERT INTO interactions (id, user_id, item_id, type, value, ts, received_utc) VALUES ($id, $u, $i, $t, $v, $ts, $r)";
            _i = [.. new (string, SqliteType)[] { ("$id", SqliteType.Integer), ("$u", SqliteType.Text), ("$i", SqliteType.Text), ("$t", SqliteType.Text), ("$v", SqliteType.Real), ("$ts", SqliteType.Integer), ("$r", SqliteType.Integer) }.Select(p => Interaction.Parameters.Add(p.Item1, p.Item2))];
            Feedback = writer.CreateCommand();
            Feedback.CommandText = "INSERT INTO feedback (user_id, item_id, kind, variant, arm, bundle, ts, experiment) VALUES ($u, $i, $k, $v, $a, $b, $ts, $e)";
            _f = [.. new (string, SqliteType)[] { ("$u", SqliteType.Text), ("$i", SqliteType.Text), ("$k", SqliteType.Text), ("$v", SqliteType.Text), ("$a", SqliteType.Text), ("$b", SqliteType.Text), ("$ts", SqliteType.Integer), ("$e", SqliteType.Text) }.Select(p => Feedback.Parameters.Add(p.Item1, p.Item2))];
        }

        public SqliteCommand Interaction { get; }

        public SqliteCommand Feedback { get; }

        public void Add(long id, StoredInteraction x, long received)
        {
            (_i[0].Value, _i[1].Value, _i[2].Value, _i[3].Value, _i[4].Value, _i[5].Value, _i[6].Value) = (id, x.User, x.Item, x.Type, x.Value, x.Timestamp, received);
            Interaction.ExecuteNonQuery();
        }

        public void Add(StoredFeedback f)
        {
            (_f[0].Value, _f[1].Value, _f[2].Value, _f[3].Value, _f[4].Value, _f[5].Value, _f[6].Value, _f[7].Value) = (f.User, f.Item, f.Kind, f.Variant, f.Arm, f.Bundle, f.Timestamp, f.Experiment);
            Feedback.ExecuteNonQuery();
        }

        public void Dispose()
        {
            Interaction.Dispose();
            Feedback.Dispose();
        }
    }
}
