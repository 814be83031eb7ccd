using RecKit.Serving;

namespace RecKit.Server.Endpoints;

/// <summary>GET /v1/items/{id}/similar and GET /v1/items/popular.</summary>
internal static class ItemEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/items/popular", (string? k, string? genre, RecommendationService service) =>
        {
            var (count, bad) = Problems.Int(k, "k", 10);
            if (bad is not null)
            {
                return bad;
            }

            try
            {
                return Results.Ok(service.Popular(count, genre));
            }
            catch (RequestFieldException ex)
            {
                return Problems.Of(ex);
            }
        })
        .WithName("PopularItems")
        .WithSummary("The most interacted-with items, optionally with a label (genre=Comedy).");

        app.MapGet("/v1/items/{id}/similar", (string id, string? k, RecommendationService service) =>
        {
            var (count, bad) = Problems.Int(k, "k", 10);
            if (bad is not null)
            {
                return bad;
            }

            try
            {
                return Results.Ok(service.Similar(id, count));
            }
            catch (RequestFieldException ex)
            {
                return Problems.Of(ex);
            }
        })
        .WithName("SimilarItems")
        .WithSummary("Items most like one item (item-kNN neighbours, or factor cosine).");
    }
}
