using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RecKit.Tests.Server;

/// <summary>The real server as a child process (dotnet RecKit.Server.dll) on a free loopback port; killed with SIGKILL on demand.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>What the server wrote to its standard output so far (its log).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Output { get; private init; } = new();

    /// <param name="settings">More settings, as command-line keys (--RecKit:Key=value).</param>
    public static Task<ServerProcess> Start(string bundleRoot, string? database = null, params string[] settings) => Start(bundleRoot, database, FreePort(), settings);

    /// <summary>As above, on a port the caller chose (with <see cref="FreePorts"/>, so that no two ports of a test collide).</summary>
    public static async Task<ServerProcess> Start(string bundleRoot, string? database, int port, params string[] settings)
    {
        var address = new Uri($"http://127.0.0.1:{port}");
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var server = Path.Combine(TestData.RepoRoot, "src", "RecKit.Server", "bin", configuration, "net10.0", "RecKit.Server.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { server, $"--RecKit:BundleRoot={bundleRoot}", "--RecKit:ReloadPollSeconds=0", "--urls", address.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (database is not null)
        {
            start.ArgumentList.Add($"--RecKit:Database={database}");
        }

        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
            {
                output.Enqueue(text);
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var child = new ServerProcess(process, address) { Output = output };
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {process.ExitCode} before it was ready: {string.Join(Environment.NewLine, output.TakeLast(30))}");
            }

            try
            {
                if ((await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return child;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        child.Dispose();
        throw new TimeoutException("the server was not ready within 60 s");
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a power cut of the process.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    /// <summary>Ports free now and distinct from each other (all held open while they are chosen).</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
