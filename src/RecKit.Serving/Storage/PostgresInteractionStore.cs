using Npgsql;
using NpgsqlTypes;

namespace RecKit.Serving;

/// <summary>
/// The <see cref="IInteractionStore"/> a cluster shares: tables in one PostgreSQL database, created and migrated on open
/// (under an advisory lock, so servers starting together migrate once). Writes are group-committed per process
/// (<see cref="GroupCommit{TWork}"/>): one transaction per batch, appends written with binary COPY, each append
/// acknowledged only after COMMIT returns (PostgreSQL's default synchronous_commit=on: the commit is flushed to its WAL).
/// <para>
/// Ids ascend in commit order across every process: each write transaction starts by locking the one high-water row
/// (store_meta 'last_interaction_id', SELECT ... FOR UPDATE), gives its ids above it and raises it before committing,
/// so a process that reads "everything after id N" never misses a row committed later with a smaller id, and no id is
/// given twice, not even after its row was erased. The cost: one process commits at a time; each commit carries a whole
/// batch, so throughput is batches, not rows. Unlike the SQLite store, per-user reads have an index (a cluster reads a
/// user's history when a user's state is activated, not only at start).
/// </para>
/// Schema (store_meta 'schema_version' 1): interactions(id, user_id, item_id, type, value, ts, received_utc);
/// feedback(id, user_id, item_id, kind, variant, arm, bundle, ts, experiment); store_meta(key, value);
/// erased_users(user_hash, erasure, erased_utc); item_states(item_id, state, updated_utc);
/// feature_rows(owner, id, title, fields, seq, updated_utc); the same meaning as the SQLite store's.
/// </summary>
public sealed class PostgresInteractionStore : IInteractionStore
{
    /// <summary>Any constant: the advisory lock key under which schema migrations run.</summary>
    private const long MigrationLock = 0x5265634b6974; // "RecKit"

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE interactions (
            id bigint PRIMARY KEY,
            user_id text NOT NULL,
            item_id text NOT NULL,
            type text NOT NULL,
            value double precision NOT NULL,
            ts bigint NOT NULL,
            received_utc bigint NOT NULL);
        CREATE INDEX interactions_by_user ON interactions (user_id, id);
        CREATE TABLE feedback (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            user_id text NOT NULL,
            item_id text NOT NULL,
            kind text NOT NULL,
            variant text NOT NULL,
            arm text NOT NULL,
            bundle text NOT NULL,
            ts bigint NOT NULL,
            experiment text NOT NULL);
        CREATE INDEX feedback_by_user ON feedback (user_id);
        CREATE TABLE erased_users (user_hash text PRIMARY KEY, erasure bigint NOT NULL, erased_utc bigint NOT NULL);
        CREATE TABLE item_states (item_id text PRIMARY KEY, state integer NOT NULL, updated_utc bigint NOT NULL);
        CREATE TABLE feature_rows (owner integer NOT NULL, id text NOT NULL, title text, fields text NOT NULL, seq bigint NOT NULL, updated_utc bigint NOT NULL, PRIMARY KEY (owner, id));
        INSERT INTO store_meta (key, value) VALUES ('last_interaction_id', 0), ('erasures', 0);
        """,
    ];

    private readonly NpgsqlDataSource _data;
    private readonly GroupCommit<Work> _writes;
    private readonly CloseOnce _close;

    private PostgresInteractionStore(NpgsqlDataSource data, string location)
    {
        _data = data;
        Location = location;
        _writes = new GroupCommit<Work>(CommitAsync, Failure, nameof(PostgresInteractionStore));
        _close = new CloseOnce(CloseAsync);
    }

    /// <summary>A write other than an append, run in the batch's transaction with the highest id given so far.</summary>
    internal delegate Task<long[]> Work(NpgsqlConnection connection, long lastGiven);

    /// <summary>Where the rows live: server, port and database (never the password).</summary>
    public string Location { get; }

    /// <summary>Commits so far (each holding one or more writes).</summary>
    public long Commits => _writes.Commits;

    /// <summary>A fault injected just before each commit (tests: a commit that fails must fail every append in it).</summary>
    internal Action? BeforeCommit { get; set; }

    /// <summary>Connects (Npgsql connection string), creates and migrates the tables as needed.</summary>
    public static async Task<PostgresInteractionStore> OpenAsync(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"the PostgreSQL connection string is not valid: {ex.Message}", ex);
        }

        var location = $"postgresql://{parsed.Host}:{parsed.Port}/{parsed.Database}";
        var data = NpgsqlDataSource.Create(parsed);
        try
        {
            await MigrateAsync(data, location).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            await data.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"{location}: cannot open the interaction store: {ex.Message}", ex);
        }

        return new PostgresInteractionStore(data, location);
    }

    /// <summary><see cref="OpenAsync"/>, waiting.</summary>
    public static PostgresInteractionStore Open(string connectionString) => OpenAsync(connectionString).GetAwaiter().GetResult();

    public Task<long[]> AppendAsync(IReadOnlyList<StoredInteraction> interactions) => _writes.Enqueue(interactions, null, null);

    public Task AppendFeedbackAsync(IReadOnlyList<StoredFeedback> feedback) => _writes.Enqueue(null, feedback, null);

    public async Task<int> EraseUserAsync(string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var removed = await _writes.Enqueue(null, null, async (connection, _) =>
        {
            var hash = RecKit.Data.UserErasure.Hash(user);
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    BatchCommand("DELETE FROM interactions WHERE user_id = $1", user),
                    BatchCommand("DELETE FROM feedback WHERE user_id = $1", user),
                    BatchCommand("DELETE FROM feature_rows WHERE owner = 1 AND id = $1", user),
                    BatchCommand("""
                        WITH n AS (UPDATE store_meta SET value = value + 1 WHERE key = 'erasures' RETURNING value)
                        INSERT INTO erased_users (user_hash, erasure, erased_utc) SELECT $1, n.value, $2 FROM n
                            ON CONFLICT (user_hash) DO UPDATE SET erasure = excluded.erasure, erased_utc = excluded.erased_utc
                        """, hash, Now()),
                },
            };
            await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
            return [batch.BatchCommands[0].RecordsAffected];
        }).ConfigureAwait(false);
        return (int)removed[0];
    }

    public async Task<StoredInteraction?> DeleteInteractionAsync(long id)
    {
        StoredInteraction? deleted = null;
        await _writes.Enqueue(null, null, async (connection, _) =>
        {
            await using var command = new NpgsqlCommand($"DELETE FROM interactions WHERE id = $1 RETURNING {StoredRows.InteractionColumns}", connection) { Parameters = { new() { Value = id } } };
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            if (await reader.ReadAsync().ConfigureAwait(false))
            {
                deleted = StoredRows.Interaction(reader);
            }

            return [];
        }).ConfigureAwait(false);
        return deleted;
    }

    public Task SetItemStateAsync(string item, ItemState state)
    {
        ArgumentNullException.ThrowIfNull(item);
        return _writes.Enqueue(null, null, async (connection, _) =>
        {
            await using var command = state == ItemState.Visible
                ? Command("DELETE FROM item_states WHERE item_id = $1", item)
                : Command("INSERT INTO item_states (item_id, state, updated_utc) VALUES ($1, $2, $3) ON CONFLICT (item_id) DO UPDATE SET state = excluded.state, updated_utc = excluded.updated_utc", item, (int)state, Now());
            command.Connection = connection;
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            return [];
        });
    }

    public async Task<long> PutFeaturesAsync(FeatureOwner owner, string id, string? title, IReadOnlyDictionary<string, string?> fields)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(fields);
        var json = StoredRows.Fields(fields);
        var sequence = await _writes.Enqueue(null, null, async (connection, _) =>
        {
            // Every write holds the high-water row's lock, so MAX(seq) + 1 is not raced by another process.
            await using var command = Command("""
                INSERT INTO feature_rows (owner, id, title, fields, seq, updated_utc)
                    VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(seq), 0) + 1 FROM feature_rows WHERE owner = $1), $5)
                    ON CONFLICT (owner, id) DO UPDATE SET title = excluded.title, fields = excluded.fields, updated_utc = excluded.updated_utc
                RETURNING seq
                """, (int)owner, id, (object?)title ?? DBNull.Value, json, Now());
            command.Connection = connection;
            return [(long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!];
        }).ConfigureAwait(false);
        return sequence[0];
    }

    public async Task<bool> DeleteFeaturesAsync(FeatureOwner owner, string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var deleted = await _writes.Enqueue(null, null, async (connection, _) =>
        {
            await using var command = Command("DELETE FROM feature_rows WHERE owner = $1 AND id = $2", (int)owner, id);
            command.Connection = connection;
            return [await command.ExecuteNonQueryAsync().ConfigureAwait(false)];
        }).ConfigureAwait(false);
        return deleted[0] > 0;
    }

    public IReadOnlyList<FeatureRow> ReadFeatures(FeatureOwner owner)
    {
        using var command = _data.CreateCommand($"SELECT {StoredRows.FeatureColumns} FROM feature_rows WHERE owner = $1 ORDER BY seq");
        command.Parameters.Add(new NpgsqlParameter { Value = (int)owner });
        using var reader = command.ExecuteReader();
        return StoredRows.FeatureRows(reader);
    }

    public IReadOnlyDictionary<string, ItemState> ItemStates() => ReadKeyed("SELECT item_id, state FROM item_states", reader => (ItemState)reader.GetInt32(1));

    public IReadOnlyDictionary<string, long> ErasedUsers() => ReadKeyed("SELECT user_hash, erasure FROM erased_users", reader => reader.GetInt64(1));

    public IEnumerable<StoredInteraction> ReadSince(long afterId) => ReadInteractions("id > $1", afterId);

    public IEnumerable<StoredInteraction> ReadUser(string user) => ReadInteractions("user_id = $1", user);

    public IEnumerable<StoredFeedback> ReadFeedback()
    {
        using var command = _data.CreateCommand($"SELECT {StoredRows.FeedbackColumns} FROM feedback ORDER BY id");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return StoredRows.Feedback(reader);
        }
    }

    public long LastInteractionId()
    {
        using var command = _data.CreateCommand("SELECT value FROM store_meta WHERE key = 'last_interaction_id'");
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The server's durability settings for this store's connections: (synchronous_commit, fsync).</summary>
    internal async Task<(string SynchronousCommit, string Fsync)> DurabilityAsync()
    {
        await using var command = _data.CreateCommand("SELECT current_setting('synchronous_commit'), current_setting('fsync')");
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        await reader.ReadAsync().ConfigureAwait(false);
        return (reader.GetString(0), reader.GetString(1));
    }

    public ValueTask DisposeAsync() => _close.RunAsync();

    private async Task CloseAsync()
    {
        await _writes.DisposeAsync().ConfigureAwait(false);
        await _data.DisposeAsync().ConfigureAwait(false);
    }

    private IEnumerable<StoredInteraction> ReadInteractions(string where, object value)
    {
        using var command = _data.CreateCommand($"SELECT {StoredRows.InteractionColumns} FROM interactions WHERE {where} ORDER BY id");
        command.Parameters.Add(new NpgsqlParameter { Value = value });
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return StoredRows.Interaction(reader);
        }
    }

    private Dictionary<string, T> ReadKeyed<T>(string sql, Func<NpgsqlDataReader, T> value)
    {
        using var command = _data.CreateCommand(sql);
        using var reader = command.ExecuteReader();
        var rows = new Dictionary<string, T>(StringComparer.Ordinal);
        while (reader.Read())
        {
            rows[reader.GetString(0)] = value(reader);
        }

        return rows;
    }

    private static NpgsqlCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlCommand(sql);
        AddValues(command.Parameters, values);
        return command;
    }

    private static NpgsqlBatchCommand BatchCommand(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        AddValues(command.Parameters, values);
        return command;
    }

    /// <summary>One positional parameter ($1, $2, ...) per value.</summary>
    private static void AddValues(NpgsqlParameterCollection parameters, object[] values)
    {
        foreach (var value in values)
        {
            parameters.Add(new NpgsqlParameter { Value = value });
        }
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private IOException? Failure(Exception ex) =>
        ex is NpgsqlException or InvalidOperationException or IOException or TimeoutException
            ? new IOException($"{Location}: the write failed and nothing of it was stored: {ex.Message}", ex)
            : null;

    /// <summary>
    /// One batch in one transaction, in queue order: the high-water row locked first (ids ascend in commit order across
    /// processes), runs of appends written with binary COPY, other work between them, the high-water raised, COMMIT.
    /// </summary>
    private async Task<long[][]> CommitAsync(IReadOnlyList<PendingWrite<Work>> batch)
    {
        await using var connection = await _data.OpenConnectionAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        long lastId;
        await using (var lockRow = new NpgsqlCommand("SELECT value FROM store_meta WHERE key = 'last_interaction_id' FOR UPDATE", connection, transaction))
        {
            lastId = (long)(await lockRow.ExecuteScalarAsync().ConfigureAwait(false))!;
        }

        var results = new long[batch.Count][];
        var received = Now();
        var interactions = new List<(long Id, StoredInteraction Row)>();
        var feedback = new List<StoredFeedback>();
        for (var b = 0; b < batch.Count; b++)
        {
            if (batch[b].Work is { } work)
            {
                await CopyAsync(connection, interactions, feedback, received).ConfigureAwait(false);
                results[b] = await work(connection, lastId).ConfigureAwait(false);
                continue;
            }

            var ids = new long[batch[b].Interactions?.Count ?? 0];
            for (var j = 0; j < ids.Length; j++)
            {
                ids[j] = ++lastId;
                interactions.Add((ids[j], batch[b].Interactions![j]));
            }

            feedback.AddRange(batch[b].Feedback ?? []);
            results[b] = ids;
        }

        await CopyAsync(connection, interactions, feedback, received).ConfigureAwait(false);
        await using (var raise = new NpgsqlCommand("UPDATE store_meta SET value = $1 WHERE key = 'last_interaction_id'", connection, transaction) { Parameters = { new() { Value = lastId } } })
        {
            await raise.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        BeforeCommit?.Invoke();
        await transaction.CommitAsync().ConfigureAwait(false);
        return results;
    }

    /// <summary>Writes the appends gathered so far with binary COPY and empties the lists.</summary>
    private static async Task CopyAsync(NpgsqlConnection connection, List<(long Id, StoredInteraction Row)> interactions, List<StoredFeedback> feedback, long received)
    {
        if (interactions.Count > 0)
        {
            await using var copy = await connection.BeginBinaryImportAsync("COPY interactions (id, user_id, item_id, type, value, ts, received_utc) FROM STDIN (FORMAT BINARY)").ConfigureAwait(false);
            foreach (var (id, x) in interactions)
            {
                await copy.StartRowAsync().ConfigureAwait(false);
                await copy.WriteAsync(id, NpgsqlDbType.Bigint).ConfigureAwait(false);
                await copy.WriteAsync(x.User, NpgsqlDbType.Text).ConfigureAwait(false);
                await copy.WriteAsync(x.Item, NpgsqlDbType.Text).ConfigureAwait(false);
                await copy.WriteAsync(x.Type, NpgsqlDbType.Text).ConfigureAwait(false);
                await copy.WriteAsync(x.Value, NpgsqlDbType.Double).ConfigureAwait(false);
                await copy.WriteAsync(x.Timestamp, NpgsqlDbType.Bigint).ConfigureAwait(false);
                await copy.WriteAsync(received, NpgsqlDbType.Bigint).ConfigureAwait(false);
            }

            await copy.CompleteAsync().ConfigureAwait(false);
            interactions.Clear();
        }

        if (feedback.Count > 0)
        {
            await using var copy = await connection.BeginBinaryImportAsync("COPY feedback (user_id, item_id, kind, variant, arm, bundle, ts, experiment) FROM STDIN (FORMAT BINARY)").ConfigureAwait(false);
            foreach (var f in feedback)
            {
                await copy.StartRowAsync().ConfigureAwait(false);
                foreach (var text in new[] { f.User, f.Item, f.Kind, f.Variant, f.Arm, f.Bundle })
                {
                    await copy.WriteAsync(text, NpgsqlDbType.Text).ConfigureAwait(false);
                }

                await copy.WriteAsync(f.Timestamp, NpgsqlDbType.Bigint).ConfigureAwait(false);
                await copy.WriteAsync(f.Experiment, NpgsqlDbType.Text).ConfigureAwait(false);
            }

            await copy.CompleteAsync().ConfigureAwait(false);
            feedback.Clear();
        }
    }

    /// <summary>Creates store_meta if needed, then runs every migration step not yet run, each with the new version, under one advisory lock.</summary>
    private static async Task MigrateAsync(NpgsqlDataSource data, string location)
    {
        await using var connection = await data.OpenConnectionAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        await using (var lockAndCreate = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({MigrationLock}); CREATE TABLE IF NOT EXISTS store_meta (key text PRIMARY KEY, value bigint NOT NULL);", connection, transaction))
        {
            await lockAndCreate.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        long version;
        await using (var read = new NpgsqlCommand("SELECT COALESCE((SELECT value FROM store_meta WHERE key = 'schema_version'), 0)", connection, transaction))
        {
            version = (long)(await read.ExecuteScalarAsync().ConfigureAwait(false))!;
        }

        if (version > Migrations.Length)
        {
            throw new IOException($"{location}: schema version {version} is newer than this RecKit knows ({Migrations.Length}).");
        }

        for (var step = (int)version; step < Migrations.Length; step++)
        {
            await using var migrate = new NpgsqlCommand(Migrations[step] + $"\nINSERT INTO store_meta (key, value) VALUES ('schema_version', {step + 1}) ON CONFLICT (key) DO UPDATE SET value = excluded.value;", connection, transaction);
            await migrate.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
    }
}
