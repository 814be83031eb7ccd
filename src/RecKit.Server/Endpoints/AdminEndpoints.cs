using Microsoft.AspNetCore.Http.HttpResults;
using RecKit.Serving;

namespace RecKit.Server.Endpoints;

/// <summary>POST /admin/reload: check "current" now and swap to a newer bundle; POST /admin/retrain: start a retrain now (API key required for the whole group).</summary>
internal static class AdminEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ServerSettings settings)
    {
        var admin = ApiKeyFilter.Require(app.MapGroup("/admin"), settings.ApiKey);
        admin.MapPost("/reload", async Task<Results<Ok<ReloadAnswer>, ProblemHttpResult>> (RecommendationService service, ServerMetrics metrics, ILoggerFactory logs) =>
        {
            var result = await BundleWatcher.ReloadAndReport(service, metrics, logs.CreateLogger("RecKit.Reload"), recheckRefused: true).ConfigureAwait(false);
            return result.Refused is null
                ? TypedResults.Ok(new ReloadAnswer(result.Version, result.Swapped))
                : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The new bundle was refused; the old one keeps serving.", detail: Relative(result.Refused, settings.BundleRoot), extensions: new Dictionary<string, object?> { ["bundle"] = result.Version });
        })
        .ProducesProblem(StatusCodes.Status409Conflict)
        .WithName("Reload")
        .WithSummary("Loads the bundle that bundles/current names, if newer; a broken one is refused (409) and the old one keeps serving.");

        admin.MapPost("/retrain", Results<Ok<RetrainAnswer>, ProblemHttpResult> (RecommendationService service, ScheduledRetrainer retrainer) =>
            retrainer.TryStart("asked for by an operator")
                ? TypedResults.Ok(new RetrainAnswer(Started: true, Serving: service.Current.Bundle.Version))
                : TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: retrainer.CanRun ? "A retrain is already running." : "This server cannot retrain.",
                    detail: retrainer.CanRun ? "One retrain runs at a time; this one was not started." : "set serve.retraining.command (reckit serve retrains with itself)."))
        .ProducesProblem(StatusCodes.Status409Conflict)
        .WithName("Retrain")
        .WithSummary("Starts one retrain now in a child process (reckit retrain); the new bundle is loaded when it succeeds. 409 when one is running or the server has no retrain command.");
    }

    /// <summary>A refusal as an answer tells it: paths relative to the bundle root (the server's own folders are not the caller's business).</summary>
    private static string Relative(string reason, string bundleRoot) =>
        reason.Replace(Path.GetFullPath(bundleRoot).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, string.Empty, StringComparison.Ordinal);

    /// <summary>What a retrain request answers: that it started, and the version serving while it runs.</summary>
    internal sealed record RetrainAnswer(bool Started, string Serving);

    /// <summary>What a reload answers: the serving version and whether this call swapped to it.</summary>
    internal sealed record ReloadAnswer(string Bundle, bool Swapped);
}
