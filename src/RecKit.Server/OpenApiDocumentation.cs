using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace RecKit.Server;

/// <summary>
/// Makes the generated OpenAPI document exact where endpoint metadata alone cannot: the API's title, the X-Api-Key
/// scheme and which operations need it, query and path parameters typed as the service parses them (k is an integer,
/// explain a boolean), the ingest body as the one-or-many shape it is, an example for every body, and the statuses
/// every request may get from the service's own limits (414, 429, 431).
/// </summary>
internal static class OpenApiDocumentation
{
    public const string KeyScheme = "ApiKey";

    /// <summary>Endpoint metadata: this operation needs the X-Api-Key header.</summary>
    internal sealed class RequiresApiKey;

    private static readonly Dictionary<string, JsonSchemaType> Typed = new(StringComparer.Ordinal)
    {
        ["k"] = JsonSchemaType.Integer,
        ["limit"] = JsonSchemaType.Integer,
        ["after"] = JsonSchemaType.Integer,
        ["interactionId"] = JsonSchemaType.Integer,
        ["explain"] = JsonSchemaType.Boolean,
    };

    private static readonly Dictionary<string, string> Examples = new(StringComparer.Ordinal)
    {
        ["Ingest"] = """{"interactions": [{"user": "42", "item": "318", "type": "like", "timestamp": 1764400000000}, {"user": "42", "item": "589", "type": "dislike"}]}""",
        ["RecommendForHistory"] = """{"history": ["318", "858", "50"], "k": 10}""",
        ["LogImpressions"] = """{"user": "42", "items": ["318", "858", "50"]}""",
        ["LogClicks"] = """{"user": "42", "items": ["858"]}""",
    };

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "RecKit API",
                Version = "v1",
                Description = "Live recommendations, ingest, feedback, user data and bundle reloads. Errors are RFC 7807 problem documents naming the field at fault.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[KeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyFilter.Header,
                Description = "The server's API key (serve.apiKey, or RECKIT__APIKEY).",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            foreach (var parameter in operation.Parameters ?? [])
            {
                if (parameter is OpenApiParameter p && p.Name is { } name && Typed.TryGetValue(name, out var type))
                {
                    p.Schema = new OpenApiSchema { Type = type, Format = type == JsonSchemaType.Integer ? "int64" : null };
                }
            }

            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RequiresApiKey>().Any())
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(KeyScheme, context.Document)] = [] }];
            }

            if (operation.OperationId == "Ingest" && operation.RequestBody?.Content?.TryGetValue("application/json", out var ingest) == true)
            {
                ingest.Schema = new OpenApiSchema
                {
                    OneOf =
                    [
                        await context.GetOrCreateSchemaAsync(typeof(Endpoints.InteractionEndpoints.IngestInteraction), cancellationToken: cancellationToken).ConfigureAwait(false),
                        await context.GetOrCreateSchemaAsync(typeof(Endpoints.InteractionEndpoints.IngestBatch), cancellationToken: cancellationToken).ConfigureAwait(false),
                    ],
                    Description = "One interaction, or {\"interactions\": [...]} with up to serve.maxBatch of them.",
                };
            }

            if (operation.OperationId is { } id && Examples.TryGetValue(id, out var example) && operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true)
            {
                body.Example = JsonNode.Parse(example);
            }

            operation.Responses ??= [];
            foreach (var (status, title) in new[] { ("414", "The path and query are longer than 8 KB."), ("429", "Too many requests from this client (serve.rateLimitPerSecond)."), ("431", "The headers are larger than 32 KB.") })
            {
                if (!operation.Responses.ContainsKey(status))
                {
                    operation.Responses[status] = new OpenApiResponse
                    {
                        Description = title,
                        Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), cancellationToken: cancellationToken).ConfigureAwait(false) } },
                    };
                }
            }
        });
    }
}
