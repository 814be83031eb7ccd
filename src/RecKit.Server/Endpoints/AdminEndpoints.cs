using RecKit.Serving;

namespace RecKit.Server.Endpoints;

/// <summary>POST /admin/reload: check "current" now and swap to a newer bundle (API key required).</summary>
internal static class AdminEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ServerSettings settings)
    {
        app.MapPost("/admin/reload", (RecommendationService service, ILoggerFactory logs) =>
        {
            var (version, refused) = BundleWatcher.ReloadAndReport(service, logs.CreateLogger("RecKit.Reload"));
            return refused is null
                ? Results.Ok(new { bundle = version })
                : Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The new bundle was refused; the old one keeps serving.", detail: refused, extensions: new Dictionary<string, object?> { ["bundle"] = version });
        })
        .AddEndpointFilter(new ApiKeyFilter(settings.ApiKey))
        .WithName("Reload")
        .WithSummary("Loads the bundle that bundles/current names, if newer; a broken one is refused (409) and the old one keeps serving.");
    }
}
