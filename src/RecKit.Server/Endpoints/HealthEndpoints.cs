using Microsoft.AspNetCore.Http.HttpResults;
using RecKit.Serving;

namespace RecKit.Server.Endpoints;

/// <summary>GET /health/live (the process answers) and GET /health/ready (a bundle is loaded and serving).</summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").ExcludeFromDescription();
        health.MapGet("/live", () => TypedResults.Ok(new { status = "live" })).WithName("Live");
        health.MapGet("/ready", Ok<Ready> (RecommendationService service) =>
        {
            var bundle = service.Current.Bundle;
            return TypedResults.Ok(new Ready("ready", bundle.Version, bundle.Variants, bundle.Manifest.DefaultVariant));
        }).WithName("Ready");
    }

    /// <summary>What /health/ready answers.</summary>
    internal sealed record Ready(string Status, string Bundle, IReadOnlyCollection<string> Variants, string DefaultVariant);
}
