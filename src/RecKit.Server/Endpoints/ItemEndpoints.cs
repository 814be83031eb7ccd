using Microsoft.AspNetCore.Http.HttpResults;
using RecKit.Serving;

namespace RecKit.Server.Endpoints;

/// <summary>GET /v1/items/{id}/similar and GET /v1/items/popular.</summary>
internal static class ItemEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var items = v1.MapGroup("/items");
        items.MapGet("/popular", Ok<RecommendationAnswer> (string? k, string? genre, RecommendationService service) =>
            TypedResults.Ok(service.Popular(Problems.Int(k, "k", 10), genre)))
            .WithName("PopularItems")
            .WithSummary("The most interacted-with items, optionally with a label (genre=Comedy).");

        items.MapGet("/{id}/similar", Ok<RecommendationAnswer> (string id, string? k, RecommendationService service, HttpContext context) =>
            TypedResults.Ok(service.Similar(RouteIds.FromPath(context, "items", id), Problems.Int(k, "k", 10))))
            .WithName("SimilarItems")
            .WithSummary("Items most like one item (item-kNN neighbours, or factor cosine); the answer names the model.");
    }
}
