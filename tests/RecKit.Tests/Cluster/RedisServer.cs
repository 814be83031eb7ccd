using System.Diagnostics;
using RecKit.Tests.Server;

namespace RecKit.Tests.Cluster;

/// <summary>
/// A throwaway Redis (Debian's redis-server, installed by eng/install-test-packages.sh when missing) on 127.0.0.1 at a
/// free port, nothing saved to disk; the cluster tests' membership table. Stopped when disposed.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    public static RedisServer Start()
    {
        if (!File.Exists("/usr/bin/redis-server"))
        {
            using var install = Process.Start("bash", [Path.Combine(TestData.RepoRoot, "eng", "install-test-packages.sh")]);
            install.WaitForExit();
        }

        var port = ServerProcess.FreePort();
        var process = Process.Start(new ProcessStartInfo("/usr/bin/redis-server", ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start");
        process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient("127.0.0.1", port);
                return new RedisServer(process, port);
            }
            catch (System.Net.Sockets.SocketException)
            {
                Thread.Sleep(100);
            }
        }

        process.Kill();
        throw new TimeoutException("redis-server did not listen within 20 s");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
