using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using RecKit.Serving;

namespace RecKit.Server.Endpoints;

/// <summary>
/// GET /v1/items/{id}, GET /v1/items/{id}/similar and GET /v1/items/popular; and the catalogue manager's PUT /v1/items/{id}
/// (add or update), PUT /v1/items/{id}/hidden, DELETE /v1/items/{id}/hidden (show again) and DELETE /v1/items/{id}, with the API key.
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

        items.MapGet("/{id}", Ok<CatalogueItemAnswer> (string id, RecommendationService service, HttpContext context) =>
            TypedResults.Ok(service.DescribeItem(RouteIds.FromPath(context, "items", id))))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("Item")
            .WithSummary("An item as the service knows it now: title, labels, state, whether the serving bundle holds it, and which variants may recommend it.");

        var put = ApiKeyFilter.Require(items.MapGroup(string.Empty), settings.ApiKey).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        put.MapPut("/{id}", async Task<Ok<CatalogueItemAnswer>> (string id, HttpRequest request, RecommendationService service, HttpContext context) =>
        {
            var item = RouteIds.FromPath(context, "items", id);
            using var document = await Problems.ReadBody<JsonDocument>(request).ConfigureAwait(false);
            var (title, features) = ParseItem(document.RootElement);
            return TypedResults.Ok(await service.PutItemAsync(item, title, features).ConfigureAwait(false));
        })
        .Accepts<ItemBody>("application/json")
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .WithName("PutItem")
        .WithSummary("Adds an item or updates one: title and raw features as the catalogue's item features file holds them. A new item is accepted in ingest at once and ranked from its features by the variants listed in recommendableBy; the next retrain takes every change in.");

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

    /// <summary>{"title": ..., "features": {...}}, each field checked and named when wrong.</summary>
    internal static (string? Title, Dictionary<string, JsonElement>? Features) ParseItem(JsonElement root) => ParseBody(root, allowTitle: true);

    /// <summary>{"features": {...}} (a user's), or with a title when <paramref name="allowTitle"/>.</summary>
    internal static (string? Title, Dictionary<string, JsonElement>? Features) ParseBody(JsonElement root, bool allowTitle)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new RequestFieldException("body", allowTitle ? "expected {\"title\": ..., \"features\": {...}}." : "expected {\"features\": {...}}.");
        }

        string? title = null;
        Dictionary<string, JsonElement>? features = null;
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "title" when allowTitle:
                    title = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString(),
                        JsonValueKind.Null => null,
                        _ => throw new RequestFieldException("title", "must be a string."),
                    };
                    break;
                case "features":
                    if (property.Value.ValueKind == JsonValueKind.Null)
                    {
                        break;
                    }

                    if (property.Value.ValueKind != JsonValueKind.Object)
                    {
                        throw new RequestFieldException("features", "must be an object of feature name to value.");
                    }

                    features = property.Value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
                    break;
                default:
                    throw new RequestFieldException(Problems.Shorten(property.Name), allowTitle ? "unknown field; an item takes title and features." : "unknown field; a user takes features.");
            }
        }

        return (title, features);
    }

    /// <summary>The body of PUT /v1/items/{id} (documentation: the parser above reads it field by field).</summary>
    internal sealed record ItemBody
    {
        /// <summary>The item's display name.</summary>
        public string? Title { get; init; }

        /// <summary>Feature column → value as the item features file holds it: a string, a number, or an array for a multi-valued column.</summary>
        public Dictionary<string, JsonElement>? Features { get; init; }
    }

    /// <summary>What a catalogue change answers: the item and its state now (visible, hidden, deleted).</summary>
    internal sealed record ItemStateAnswer(string Item, string State);
}
