using RecKit.Serving;

namespace RecKit.Server.Endpoints;

/// <summary>GET /health/live (the process answers) and GET /health/ready (a bundle is loaded and serving).</summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" })).WithName("Live").ExcludeFromDescription();
        app.MapGet("/health/ready", (RecommendationService service) =>
        {
            var bundle = service.Current.Bundle;
            return Results.Ok(new { status = "ready", bundle = bundle.Version, variants = bundle.Variants, defaultVariant = bundle.Manifest.DefaultVariant });
        }).WithName("Ready").ExcludeFromDescription();
    }
}
