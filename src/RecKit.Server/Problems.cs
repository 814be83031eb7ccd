using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using RecKit.Serving;

namespace RecKit.Server;

/// <summary>
/// RFC 7807 answers for bad requests, each naming the field at fault (in "errors" and in "detail"), and the strict
/// reading of bodies and query parameters that finds that field: malformed JSON, a wrong type or an unknown member is
/// a request exception, which <see cref="RequestProblemFilter"/> answers as a 400, never a 500.
/// </summary>
internal static class Problems
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 16,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
    };

    public static ValidationProblem Field(string field, string message) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] },
            detail: $"{field}: {message}",
            title: "The request has a field that cannot be accepted.");

    /// <summary>Reads the body as <typeparamref name="T"/>; a body that cannot be read is a request exception naming the field.</summary>
    public static async Task<T> ReadBody<T>(HttpRequest request)
        where T : class
    {
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new RequestBodyException(StatusCodes.Status415UnsupportedMediaType, "The body must be JSON.", "send Content-Type: application/json.");
        }

        var limit = request.HttpContext.RequestServices.GetRequiredService<ServerSettings>().MaxRequestBodyBytes;
        if (request.ContentLength > limit)
        {
            throw TooLarge($"{request.ContentLength} bytes; at most {limit} are accepted (RecKit:MaxRequestBodyBytes).");
        }

        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, Json, request.HttpContext.RequestAborted).ConfigureAwait(false)
                ?? throw new RequestFieldException("body", "the body is empty or null.");
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            throw new RequestFieldException(field, ex.InnerException is InvalidOperationException or FormatException ? "wrong type for this field." : FirstSentence(ex.Message));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(ex.Message);
        }
    }

    private static RequestBodyException TooLarge(string why) => new(StatusCodes.Status413PayloadTooLarge, "The body is too large.", why);

    /// <summary>A query parameter as an integer, or a request error naming it.</summary>
    public static int Int(string? text, string name, int fallback) =>
        text is null ? fallback
        : int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value
        : throw new RequestFieldException(name, $"must be a whole number; it is '{(text.Length > 32 ? text[..32] + "…" : text)}'.");

    /// <summary>A query parameter as a boolean, or a request error naming it.</summary>
    public static bool Bool(string? text, string name) =>
        text is null ? false
        : bool.TryParse(text, out var value) ? value
        : throw new RequestFieldException(name, "must be true or false.");

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..(end + 1)] : message;
    }
}
