using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using RecKit.Serving;

namespace RecKit.Server.Endpoints;

/// <summary>
/// A user's stored data: GET /v1/users/{id}/interactions (paged by id), DELETE /v1/users/{id}/interactions/{interactionId}
/// DELETE /v1/users/{id} (erasure) and PUT /v1/users/{id}/features. Changes need the API key.
/// </summary>
internal static class UserDataEndpoints
{
    public static void Map(RouteGroupBuilder v1, ServerSettings settings)
    {
        var users = v1.MapGroup("/users");
        users.MapGet("/{id}/interactions", Ok<InteractionsPage> (string id, string? after, string? limit, RecommendationService service, HttpContext context) =>
        {
            var user = RouteIds.FromPath(context, "users", id);
            var size = Problems.Int(limit, "limit", 100);
            var page = service.Interactions(user, Problems.Long(after, "after", 0), size);
            return TypedResults.Ok(new InteractionsPage(user, page.Select(InteractionView.Of).ToList(), page.Count == size ? page[^1].Id : null));
        })
        .WithName("UserInteractions")
        .WithSummary("The user's stored interactions in id order, a page at a time: pass the answer's next as after for the next page (null: the last page).");

        var deletes = ApiKeyFilter.Require(users.MapGroup(string.Empty), settings.ApiKey).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        deletes.MapDelete("/{id}/interactions/{interactionId}", async Task<Ok<InteractionView>> (string id, string interactionId, RecommendationService service, HttpContext context) =>
        {
            var deleted = await service.DeleteInteractionAsync(RouteIds.FromPath(context, "users", id), Problems.Long(interactionId, "interactionId", 0)).ConfigureAwait(false);
            return TypedResults.Ok(InteractionView.Of(deleted));
        })
        .ProducesProblem(StatusCodes.Status404NotFound)
        .WithName("DeleteInteraction")
        .WithSummary("Deletes one stored interaction; the user's next answer no longer reflects it. The serving bundle keeps it if it was trained with it, until the next retrain.");

        deletes.MapDelete("/{id}", async Task<Ok<ErasureAnswer>> (string id, RecommendationService service, HttpContext context) =>
        {
            var user = RouteIds.FromPath(context, "users", id);
            var removed = await service.EraseUserAsync(user).ConfigureAwait(false);
            return TypedResults.Ok(new ErasureAnswer(user, removed, "Every stored interaction, impression and click of the user is deleted and their live state dropped; the serving bundle's row for them is no longer used (they are a new user from the next request), and retraining leaves them out of the original data. The bundle files on disk hold that row until the next retrain replaces them."));
        })
        .WithName("EraseUser")
        .WithSummary("Erases a user: the store, the live state and every later bundle forget them.");

        deletes.MapPut("/{id}/features", async Task<Ok<UserFeaturesAnswer>> (string id, HttpRequest request, RecommendationService service, HttpContext context) =>
        {
            var user = RouteIds.FromPath(context, "users", id);
            using var document = await Problems.ReadBody<JsonDocument>(request).ConfigureAwait(false);
            var (_, features) = ItemEndpoints.ParseBody(document.RootElement, allowTitle: false);
            return TypedResults.Ok(await service.PutUserFeaturesAsync(user, features).ConfigureAwait(false));
        })
        .Accepts<UserFeaturesBody>("application/json")
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .WithName("PutUserFeatures")
        .WithSummary("Sets a user's features (raw, as the user features file holds them); the next retrain takes them in. Erasing the user deletes them.");

        deletes.MapDelete("/{id}/features", async Task<Ok<UserFeaturesAnswer>> (string id, RecommendationService service, HttpContext context) =>
        {
            var user = RouteIds.FromPath(context, "users", id);
            await service.DeleteUserFeaturesAsync(user).ConfigureAwait(false);
            return TypedResults.Ok(new UserFeaturesAnswer(user, new Dictionary<string, string?>(), [], "forgotten; the features file's row, if any, stands at the next retrain"));
        })
        .ProducesProblem(StatusCodes.Status404NotFound)
        .WithName("DeleteUserFeatures")
        .WithSummary("Forgets the features set for the user through the service; the features file's row, if any, stands at the next retrain.");
    }

    /// <summary>The body of PUT /v1/users/{id}/features.</summary>
    internal sealed record UserFeaturesBody(Dictionary<string, JsonElement> Features);

    /// <summary>One stored interaction as the API shows it.</summary>
    internal sealed record InteractionView(long Id, string Item, string Type, double Value, long Timestamp)
    {
        public static InteractionView Of(StoredInteraction x) => new(x.Id, x.Item, x.Type, x.Value, x.Timestamp);
    }

    /// <summary>A page of a user's interactions; next: the after of the next page, null on the last.</summary>
    internal sealed record InteractionsPage(string User, IReadOnlyList<InteractionView> Interactions, long? Next);

    /// <summary>What an erasure answers: the user, how many interactions were removed, and what still holds them.</summary>
    internal sealed record ErasureAnswer(string User, int InteractionsRemoved, string Note);
}
