using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace RecKit.Tests.Serving.Storage;

/// <summary>
/// A throwaway PostgreSQL server for the test run: Debian's postgresql (installed by eng/install-test-packages.sh when
/// missing), a new cluster in a temporary folder (initdb; as user postgres when the tests run as root, since PostgreSQL
/// refuses root), listening on 127.0.0.1 at a free port, stopped and deleted when the test process exits. Each test gets
/// its own database.
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<PostgresServer> Shared = new(Start);
    private static int _databases;

    private readonly string _folder;
    private readonly string _bin;

    private PostgresServer(string folder, string bin, int port)
    {
        _folder = folder;
        _bin = bin;
        Port = port;
    }

    public static PostgresServer Instance => Shared.Value;

    public int Port { get; }

    /// <summary>A new, empty database; its connection string.</summary>
    public string NewDatabase()
    {
        var name = $"reckit_test_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            create.ExecuteNonQuery();
        }

        return ConnectionString(name);
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "reckit", Database = database, Pooling = true }.ToString();

    private static PostgresServer Start()
    {
        var bin = FindBin() ?? Install();
        RemoveStale();
        var folder = Directory.CreateTempSubdirectory("reckit-pg-").FullName;
        var root = Environment.UserName == "root";
        if (root)
        {
            Run("chown", "-R", "postgres:postgres", folder);
        }

        var port = FreePort();
        var data = Path.Combine(folder, "data");
        AsServerUser(root, Path.Combine(bin, "initdb"), "-D", data, "-U", "reckit", "-A", "trust", "-E", "UTF8", "--no-sync");
        AsServerUser(root, Path.Combine(bin, "pg_ctl"), "-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60",
            "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=on -c synchronous_commit=on", "start");
        var server = new PostgresServer(folder, bin, port);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop(root, data);
        return server;
    }

    private void Stop(bool root, string data)
    {
        try
        {
            AsServerUser(root, Path.Combine(_bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop");
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // The process is exiting; the next run removes what is left (RemoveStale).
        }
    }

    /// <summary>Folders of earlier runs whose server is gone (no postmaster.pid, untouched for an hour): a run cut short leaves them.</summary>
    private static void RemoveStale()
    {
        foreach (var stale in Directory.GetDirectories(Path.GetTempPath(), "reckit-pg-*"))
        {
            if (!File.Exists(Path.Combine(stale, "data", "postmaster.pid")) && Directory.GetLastWriteTimeUtc(stale) < DateTime.UtcNow.AddHours(-1))
            {
                try
                {
                    Directory.Delete(stale, recursive: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // another run's, being deleted or in use
                }
            }
        }
    }

    private static string? FindBin() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).Order(StringComparer.Ordinal).LastOrDefault()
            : null;

    private static string Install()
    {
        Run("bash", Path.Combine(TestData.RepoRoot, "eng", "install-test-packages.sh"));
        return FindBin() ?? throw new InvalidOperationException("postgresql is not installed and eng/install-test-packages.sh could not install it.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void AsServerUser(bool root, string program, params string[] arguments)
    {
        if (root)
        {
            Run("runuser", ["-u", "postgres", "--", program, .. arguments]);
        }
        else
        {
            Run(program, arguments);
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed (exit {process.ExitCode}): {errors} {output.Result}");
        }
    }
}
