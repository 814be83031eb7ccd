using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using RecKit.Serving;

namespace RecKit.Server.Endpoints;

/// <summary>
/// POST /v1/interactions: one interaction ({"user", "item", "type", "value", "timestamp"}) or a batch
/// ({"interactions": [...]}); answered 200 with the stored row ids only once they are durable and applied.
/// </summary>
internal static class InteractionEndpoints
{
    public static void Map(RouteGroupBuilder v1, ServerSettings settings)
    {
        var route = v1.MapPost("/interactions", async Task<Ok<IngestAnswer>> (HttpRequest request, RecommendationService service, ServerMetrics metrics) =>
        {
            using var document = await Problems.ReadBody<JsonDocument>(request).ConfigureAwait(false);
            var batch = Parse(document.RootElement, service.Options.FeedbackTypes.DefaultType);
            var ids = await service.IngestAsync(batch).ConfigureAwait(false);
            foreach (var group in batch.CountBy(x => x.Type))
            {
                metrics.Ingested(group.Key, group.Value);
            }

            metrics.IngestLag(Math.Max(0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - batch[^1].Timestamp) / 1000.0);
            return TypedResults.Ok(new IngestAnswer(ids.Length, ids[0], ids[^1]));
        })
        .Accepts<IngestInteraction>("application/json")
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
        .WithName("Ingest")
        .WithSummary("Stores interactions durably; the user's next recommendations reflect them at once.");
        if (settings.RequireKeyForIngest)
        {
            ApiKeyFilter.Require(route, settings.ApiKey);
        }
    }

    /// <summary>A single interaction or {"interactions": [...]}, every field checked and named when wrong.</summary>
    internal static List<StoredInteraction> Parse(JsonElement root, string defaultType)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new RequestFieldException("body", "expected an interaction object or {\"interactions\": [...]}.");
        }

        if (root.TryGetProperty("interactions", out var list))
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                throw new RequestFieldException("interactions", "must be an array of interactions.");
            }

            foreach (var property in root.EnumerateObject())
            {
                if (property.Name != "interactions")
                {
                    throw new RequestFieldException(Problems.Shorten(property.Name), "unknown field beside 'interactions'.");
                }
            }

            return list.EnumerateArray().Select((x, j) => One(x, $"interactions[{j}].", defaultType)).ToList();
        }

        return [One(root, string.Empty, defaultType)];
    }

    private static StoredInteraction One(JsonElement x, string at, string defaultType)
    {
        if (x.ValueKind != JsonValueKind.Object)
        {
            throw new RequestFieldException(at.TrimEnd('.'), "must be an object with user and item.");
        }

        string? user = null, item = null, type = null;
        double value = 1;
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var p in x.EnumerateObject())
        {
            switch (p.Name)
            {
                case "user":
                    user = Text(p.Value, at + "user");
                    break;
                case "item":
                    item = Text(p.Value, at + "item");
                    break;
                case "type":
                    type = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : throw new RequestFieldException(at + "type", "must be a string.");
                    break;
                case "value":
                    value = p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetDouble(out var v) ? v : throw new RequestFieldException(at + "value", "must be a number.");
                    break;
                case "timestamp":
                    timestamp = p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out var t) && t >= 0 ? t : throw new RequestFieldException(at + "timestamp", "must be Unix time in milliseconds (a whole number, 0 or more).");
                    break;
                default:
                    throw new RequestFieldException(at + Problems.Shorten(p.Name), "unknown field; accepted: user, item, type, value, timestamp.");
            }
        }

        return new StoredInteraction(user ?? throw new RequestFieldException(at + "user", "is required."), item ?? throw new RequestFieldException(at + "item", "is required."), type ?? defaultType, value, timestamp);
    }

    /// <summary>
    /// An id: a string, or a whole number, kept as its plain decimal text (42 is the id "42"). A number written any other
    /// way (1.0, 1e3, 1e400) is refused rather than kept as raw text, which would make "1.0" a user distinct from "1".
    /// </summary>
    private static string Text(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number when value.TryGetInt64(out var whole) && value.GetRawText() == whole.ToString(System.Globalization.CultureInfo.InvariantCulture) => value.GetRawText(),
        JsonValueKind.Number => throw new RequestFieldException(field, $"a number id must be a whole number written plainly (42); it is {Problems.Shorten(value.GetRawText())}. Send other ids as strings."),
        _ => throw new RequestFieldException(field, "must be a string or a number."),
    };

    /// <summary>One interaction as ingest reads it (documentation of the body: the parser above reads it field by field).</summary>
    internal sealed record IngestInteraction
    {
        /// <summary>The user id: a string, or a whole number written plainly.</summary>
        public required string User { get; init; }

        /// <summary>The item id, one of the serving bundle's items.</summary>
        public required string Item { get; init; }

        /// <summary>One of the configured feedback types (default "interaction"); a negative type hides the item from the user.</summary>
        public string? Type { get; init; }

        /// <summary>A number above 0 and at most 1e6 (default 1), multiplied by the type's weight.</summary>
        public double? Value { get; init; }

        /// <summary>Unix time in milliseconds (default: now), from 1995-01-01 to one day ahead.</summary>
        public long? Timestamp { get; init; }
    }

    /// <summary>A batch of interactions, stored in one commit (all or none).</summary>
    internal sealed record IngestBatch(IReadOnlyList<IngestInteraction> Interactions);

    /// <summary>What an ingest answers: how many were stored, and their first and last row ids.</summary>
    internal sealed record IngestAnswer(int Stored, long FirstId, long LastId);
}
