namespace RecKit.Tests;

/// <summary>
/// Tests that run with nothing beside them: they read a server's /metrics while a retrain runs, and OpenTelemetry's
/// listener is process-wide, so another test server's "RecKit" meter starting or stopping at the same time can take
/// an instrument of the same name out of the export (seen here as a counter vanishing mid-test).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "Alone";
}
