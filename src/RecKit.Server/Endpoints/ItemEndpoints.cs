using Microsoft.AspNetCore.Http.HttpResults;
using RecKit.Serving;

namespace RecKit.Server.Endpoints;

/// <summary>
/// GET /v1/items/{id}/similar and GET /v1/items/popular; and the catalogue manager's PUT /v1/items/{id}/hidden,
/// DELETE /v1/items/{id}/hidden (show again) and DELETE /v1/items/{id}, with the API key.
/// </summary>
internal static class ItemEndpoints
{
    public static void Map(RouteGroupBuilder v1, ServerSettings settings)
    {
        var items = v1.MapGroup("/items");
        items.MapGet("/popular", Ok<RecommendationAnswer> (string? k, string? genre, RecommendationService service) =>
            TypedResults.Ok(service.Popular(Problems.Int(k, "k", 10), genre)))
            .WithName("PopularItems")
            .WithSummary("The most interacted-with items, optionally with a label (genre=Comedy); hidden and deleted items left out.");

        items.MapGet("/{id}/similar", Ok<RecommendationAnswer> (string id, string? k, RecommendationService service, HttpContext context) =>
            TypedResults.Ok(service.Similar(RouteIds.FromPath(context, "items", id), Problems.Int(k, "k", 10))))
            .WithName("SimilarItems")
            .WithSummary("Items most like one item (item-kNN neighbours, or factor cosine); the answer names the model; hidden and deleted items left out.");

        var manage = ApiKeyFilter.Require(items.MapGroup(string.Empty), settings.ApiKey).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        foreach (var (method, path, state, name, summary) in new[]
        {
            ("PUT", "/{id}/hidden", ItemState.Hidden, "HideItem", "Hides an item: never recommended, similar or popular from the next request; interactions with it are still accepted."),
            ("DELETE", "/{id}/hidden", ItemState.Visible, "ShowItem", "Shows a hidden or deleted item again."),
            ("DELETE", "/{id}", ItemState.Deleted, "DeleteItem", "Deletes an item: hidden from every answer, refused in ingest, left out of the next retrain's data."),
        })
        {
            manage.MapMethods(path, [method], async Task<Ok<ItemStateAnswer>> (string id, RecommendationService service, HttpContext context) =>
            {
                var item = RouteIds.FromPath(context, "items", id);
                await service.SetItemStateAsync(item, state).ConfigureAwait(false);
                return TypedResults.Ok(new ItemStateAnswer(item, state.ToString().ToLowerInvariant()));
            })
            .WithName(name)
            .WithSummary(summary);
        }
    }

    /// <summary>What a catalogue change answers: the item and its state now (visible, hidden, deleted).</summary>
    internal sealed record ItemStateAnswer(string Item, string State);
}
