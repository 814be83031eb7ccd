using Microsoft.AspNetCore.Http.HttpResults;
using RecKit.Serving;

namespace RecKit.Server.Endpoints;

/// <summary>POST /v1/feedback/impressions and /v1/feedback/clicks: what a user was shown and clicked, logged with the variant serving them.</summary>
internal static class FeedbackEndpoints
{
    public static void Map(RouteGroupBuilder v1, ServerSettings settings)
    {
        var feedback = v1.MapGroup("/feedback")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        if (settings.RequireKeyForIngest)
        {
            ApiKeyFilter.Require(feedback, settings.ApiKey);
        }

        foreach (var kind in new[] { "impressions", "clicks" })
        {
            var singular = kind.TrimEnd('s');
            feedback.MapPost($"/{kind}", async Task<Ok<FeedbackAnswer>> (HttpRequest request, RecommendationService service, ServerMetrics metrics) =>
            {
                var body = await Problems.ReadBody<FeedbackRequest>(request).ConfigureAwait(false);
                await service.LogFeedbackAsync(body.User!, body.Items ?? [], singular).ConfigureAwait(false);
                metrics.Feedback(singular, body.Items!.Count);
                return TypedResults.Ok(new FeedbackAnswer(body.Items!.Count));
            })
            .Accepts<FeedbackRequest>("application/json")
            .WithName($"Log{char.ToUpperInvariant(kind[0])}{kind[1..]}")
            .WithSummary($"Logs {kind} with the variant and experiment arm serving the user, for reckit ab report.");
        }
    }

    /// <summary>What logging feedback answers: how many items were logged.</summary>
    internal sealed record FeedbackAnswer(int Logged);

    /// <summary>The body: the user and the items shown or clicked.</summary>
    internal sealed record FeedbackRequest(string? User, List<string>? Items);
}
