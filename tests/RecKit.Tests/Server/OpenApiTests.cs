using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace RecKit.Tests.Server;

/// <summary>The OpenAPI document describes every route exactly: its parameters' types, its body with an example, every status it can answer, and the key it needs.</summary>
public sealed class OpenApiTests : IDisposable
{
    private readonly ServerFactory _factory = new(new Dictionary<string, string?> { ["RecKit:RequireKeyForIngest"] = "true" });

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task EveryRoute_BodyStatusAndKey_IsDocumented()
    {
        using var client = _factory.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement;
        Assert.Equal("RecKit API", root.GetProperty("info").GetProperty("title").GetString());
        var scheme = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal(("apiKey", "header", "X-Api-Key"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("in").GetString(), scheme.GetProperty("name").GetString()));
        var paths = root.GetProperty("paths");

        var routes = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && (raw.StartsWith("/v1/", StringComparison.Ordinal) || raw.StartsWith("/admin/", StringComparison.Ordinal)))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (Path: e.RoutePattern.RawText!, Method: m.ToLowerInvariant())))
            .ToList();
        Assert.True(routes.Count >= 14, $"only {routes.Count} routes found");
        foreach (var (path, method) in routes)
        {
            var operation = paths.TryGetProperty(path, out var item) && item.TryGetProperty(method, out var found) ? found : default;
            Assert.True(operation.ValueKind == JsonValueKind.Object, $"{method} {path} is not in the document");
            var responses = operation.GetProperty("responses");
            var statuses = responses.EnumerateObject().Select(r => r.Name).ToHashSet();
            Assert.Contains("200", statuses);
            Assert.All(new[] { "414", "429", "431" }, s => Assert.Contains(s, statuses));
            Assert.All(responses.EnumerateObject().Where(r => r.Name != "200"), r => Assert.True(r.Value.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{method} {path} {r.Name} is not a problem document"));
            if (path.StartsWith("/v1/", StringComparison.Ordinal))
            {
                Assert.Contains("400", statuses);
            }

            if (method == "post" && path is not ("/admin/reload" or "/admin/retrain"))
            {
                var body = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json");
                Assert.True(body.GetProperty("schema").EnumerateObject().Any(), $"{method} {path}: an empty body schema");
                Assert.True(body.TryGetProperty("example", out _), $"{method} {path}: no example");
                Assert.All(new[] { "413", "415" }, s => Assert.Contains(s, statuses));
            }

            var needsKey = method is "delete" or "put" || path.StartsWith("/admin/", StringComparison.Ordinal) || path is "/v1/interactions" || path.StartsWith("/v1/feedback/", StringComparison.Ordinal);
            Assert.Equal(needsKey, operation.TryGetProperty("security", out _));
            Assert.Equal(needsKey, statuses.Contains("401"));
            foreach (var parameter in operation.TryGetProperty("parameters", out var ps) ? ps.EnumerateArray() : Enumerable.Empty<JsonElement>())
            {
                var expected = parameter.GetProperty("name").GetString() switch
                {
                    "k" or "limit" or "after" or "interactionId" => "integer",
                    "explain" => "boolean",
                    _ => "string",
                };
                Assert.Equal(expected, parameter.GetProperty("schema").GetProperty("type").GetString());
            }
        }

        Assert.Contains("409", paths.GetProperty("/admin/reload").GetProperty("post").GetProperty("responses").EnumerateObject().Select(r => r.Name));
        Assert.Contains("404", paths.GetProperty("/v1/users/{id}/interactions/{interactionId}").GetProperty("delete").GetProperty("responses").EnumerateObject().Select(r => r.Name));
        var ingest = paths.GetProperty("/v1/interactions").GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var shapes = ingest.GetProperty("oneOf").EnumerateArray().ToList();
        Assert.Equal(2, shapes.Count); // one interaction or a batch
        Assert.Equal(["user", "item"], shapes[0].GetProperty("required").EnumerateArray().Select(r => r.GetString()));
    }
}
