namespace RecKit.Server;

/// <summary>
/// The server on its own (dotnet RecKit.Server.dll --RecKit:BundleRoot=DIR --urls URL); reckit serve runs the same
/// <see cref="ServerApp"/> from the CLI, and the tests host it through this entry point (WebApplicationFactory).
/// </summary>
public sealed class Program
{
    private Program()
    {
    }

    public static void Main(string[] args) => ServerApp.Build(args).Run();
}
