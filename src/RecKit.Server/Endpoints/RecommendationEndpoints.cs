using RecKit.Serving;

namespace RecKit.Server.Endpoints;

/// <summary>GET /v1/users/{id}/recommendations and POST /v1/recommendations (a visitor's history).</summary>
internal static class RecommendationEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/users/{id}/recommendations", (string id, string? k, string? variant, string? genre, string? explain, RecommendationService service, HttpContext context) =>
        {
            var (count, bad) = Problems.Int(k, "k", 10);
            var (why, badExplain) = Problems.Bool(explain, "explain");
            if ((bad ?? badExplain) is { } problem)
            {
                return problem;
            }

            try
            {
                var answer = service.Recommend(id, count, variant, genre, why);
                Record(context, answer);
                return Results.Ok(answer);
            }
            catch (RequestFieldException ex)
            {
                return Problems.Of(ex);
            }
        })
        .WithName("RecommendForUser")
        .WithSummary("Top-k items for a user, ranked live; seen and disliked items never appear; unknown users get the cold-start answer (cold: true).");

        app.MapPost("/v1/recommendations", async (HttpRequest request, RecommendationService service, HttpContext context) =>
        {
            var (body, problem) = await Problems.ReadBody<HistoryRequest>(request).ConfigureAwait(false);
            if (problem is not null)
            {
                return problem;
            }

            try
            {
                var answer = service.RecommendForHistory(body!.History ?? throw new RequestFieldException("history", "a list of item ids is required."), body.K ?? 10, body.Variant);
                Record(context, answer);
                return Results.Ok(answer);
            }
            catch (RequestFieldException ex)
            {
                return Problems.Of(ex);
            }
        })
        .WithName("RecommendForHistory")
        .WithSummary("Top-k items for a visitor known only by the items they have seen (folded in; no state is kept).");
    }

    internal static void Record(HttpContext context, RecommendationAnswer answer)
    {
        context.Items[RequestMetrics.VariantKey] = answer.Variant;
        ServerMetrics.Answers.WithLabels(answer.Variant, answer.Cold ? "true" : "false").Inc();
    }

    /// <summary>The body of POST /v1/recommendations.</summary>
    internal sealed record HistoryRequest(List<string>? History, int? K, string? Variant);
}
