using RecKit.Serving;

namespace RecKit.Server.Endpoints;

/// <summary>POST /v1/feedback/impressions and /v1/feedback/clicks: what a user was shown and clicked, logged with the variant serving them.</summary>
internal static class FeedbackEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ServerSettings settings)
    {
        foreach (var kind in new[] { "impressions", "clicks" })
        {
            var singular = kind.TrimEnd('s');
            var route = app.MapPost($"/v1/feedback/{kind}", async (HttpRequest request, RecommendationService service) =>
            {
                var (body, problem) = await Problems.ReadBody<FeedbackRequest>(request).ConfigureAwait(false);
                if (problem is not null)
                {
                    return problem;
                }

                try
                {
                    await service.LogFeedbackAsync(body!.User!, body.Items ?? [], singular).ConfigureAwait(false);
                    ServerMetrics.Feedback.WithLabels(singular, "any").Inc(body.Items!.Count);
                    return Results.Ok(new { logged = body.Items!.Count });
                }
                catch (RequestFieldException ex)
                {
                    return Problems.Of(ex);
                }
            })
            .WithName($"Log{char.ToUpperInvariant(kind[0])}{kind[1..]}")
            .WithSummary($"Logs {kind} with the variant and experiment arm serving the user, for reckit ab report.");
            if (settings.RequireKeyForIngest)
            {
                route.AddEndpointFilter(new ApiKeyFilter(settings.ApiKey));
            }
        }
    }

    /// <summary>The body: the user and the items shown or clicked.</summary>
    internal sealed record FeedbackRequest(string? User, List<string>? Items);
}
