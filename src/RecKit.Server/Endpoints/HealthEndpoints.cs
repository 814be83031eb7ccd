using Microsoft.AspNetCore.Http.HttpResults;
using RecKit.Serving;

namespace RecKit.Server.Endpoints;

/// <summary>
/// GET /health/live (the process answers) and GET /health/ready (a bundle is loaded and serving; in cluster mode, and this
/// silo is an active member of the cluster: 503 while it joins or once it is leaving or declared dead).
/// </summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").ExcludeFromDescription();
        health.MapGet("/live", () => TypedResults.Ok(new { status = "live" })).WithName("Live");
        health.MapGet("/ready", Results<Ok<Ready>, JsonHttpResult<Ready>> (RecommendationService service, IServiceProvider services) =>
        {
            var bundle = service.Current.Bundle;
            var membership = services.GetService<Orleans.Runtime.IClusterMembershipService>();
            if (membership is not null)
            {
                var me = services.GetRequiredService<Orleans.Runtime.ILocalSiloDetails>().SiloAddress;
                var status = membership.CurrentSnapshot.GetSiloStatus(me);
                if (status != Orleans.Runtime.SiloStatus.Active)
                {
                    return TypedResults.Json(new Ready($"not in the cluster: {status.ToString().ToLowerInvariant()}", bundle.Version, bundle.Variants, bundle.Manifest.DefaultVariant), statusCode: StatusCodes.Status503ServiceUnavailable);
                }
            }

            return TypedResults.Ok(new Ready("ready", bundle.Version, bundle.Variants, bundle.Manifest.DefaultVariant));
        }).WithName("Ready");
    }

    /// <summary>What /health/ready answers.</summary>
    internal sealed record Ready(string Status, string Bundle, IReadOnlyCollection<string> Variants, string DefaultVariant);
}
