// reckit serve runs ServerApp from the CLI; this entry point lets the server run on its own and lets the tests host it
// (WebApplicationFactory<Program>). Settings come from configuration: RecKit:BundleRoot, RecKit:Database, ...
RecKit.Server.ServerApp.Build(args).Run();

/// <summary>The server's entry point.</summary>
public partial class Program;
