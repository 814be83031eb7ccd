using Microsoft.AspNetCore.Http.HttpResults;
using RecKit.Serving;

namespace RecKit.Server.Endpoints;

/// <summary>GET /v1/users/{id}/recommendations and POST /v1/recommendations (a visitor's history).</summary>
internal static class RecommendationEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/users/{id}/recommendations", async Task<Ok<RecommendationAnswer>> (string id, string? k, string? variant, string? genre, string? explain, RecommendationService service, HttpContext context) =>
        {
            var answer = await service.RecommendAsync(RouteIds.FromPath(context, "users", id), Problems.Int(k, "k", 10), variant, genre, Problems.Bool(explain, "explain")).ConfigureAwait(false);
            Record(context, answer);
            return TypedResults.Ok(answer);
        })
        .WithName("RecommendForUser")
        .WithSummary("Top-k items for a user, ranked live; seen and disliked items never appear; unknown users get the cold-start answer (cold: true). The answer names the variant that ranked and why.");

        v1.MapPost("/recommendations", async Task<Ok<RecommendationAnswer>> (HttpRequest request, RecommendationService service, HttpContext context) =>
        {
            var body = await Problems.ReadBody<HistoryRequest>(request).ConfigureAwait(false);
            var answer = service.RecommendForHistory(body.History ?? throw new RequestFieldException("history", "a list of item ids is required."), body.K ?? 10, body.Variant);
            Record(context, answer);
            return TypedResults.Ok(answer);
        })
        .Accepts<HistoryRequest>("application/json")
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .WithName("RecommendForHistory")
        .WithSummary("Top-k items for a visitor known only by the items they have seen (folded in; no state is kept).");
    }

    internal static void Record(HttpContext context, RecommendationAnswer answer)
    {
        context.Items[RequestMetrics.VariantKey] = answer.Variant;
        context.RequestServices.GetRequiredService<ServerMetrics>().Answer(answer.Variant, answer.Cold);
    }

    /// <summary>The body of POST /v1/recommendations.</summary>
    internal sealed record HistoryRequest(List<string>? History, int? K, string? Variant);
}
