using System.Security.Cryptography;
using System.Text;

namespace RecKit.Server;

/// <summary>Requires header X-Api-Key equal to the configured key (compared in constant time); 401 otherwise, and always when no key is configured.</summary>
internal sealed class ApiKeyFilter(string? key) : IEndpointFilter
{
    /// <summary>Puts the key check on <paramref name="builder"/>'s endpoints, and says so in the OpenAPI document (401, the key scheme).</summary>
    public static TBuilder Require<TBuilder>(TBuilder builder, string? key)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(new ApiKeyFilter(key)).WithMetadata(new OpenApiDocumentation.RequiresApiKey()).ProducesProblem(StatusCodes.Status401Unauthorized);

    public const string Header = "X-Api-Key";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var given = context.HttpContext.Request.Headers[Header].ToString();
        if (key is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key)))
        {
            return ValueTask.FromResult<object?>(Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "An API key is required.",
                detail: key is null ? $"{Header}: this server has no API key configured (RecKit:ApiKey), so this endpoint is closed." : $"{Header}: missing or wrong."));
        }

        return next(context);
    }
}
