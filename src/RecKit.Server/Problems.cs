using System.Text.Json;
using RecKit.Serving;

namespace RecKit.Server;

/// <summary>
/// RFC 7807 answers for bad requests, each naming the field at fault (in "errors" and in "detail"), and the strict
/// JSON reading that finds that field: malformed JSON, a wrong type or an unknown member is a 400, never a 500.
/// </summary>
internal static class Problems
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 16,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
    };

    public static IResult Field(string field, string message) =>
        Results.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] },
            detail: $"{field}: {message}",
            title: "The request has a field that cannot be accepted.");

    public static IResult Of(RequestFieldException ex) => Field(ex.Field, ex.Message);

    /// <summary>Reads the body as <typeparamref name="T"/>; on failure, the problem to answer with.</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadBody<T>(HttpRequest request)
        where T : class
    {
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The body must be JSON.", detail: "body: send Content-Type: application/json."));
        }

        var limit = request.HttpContext.RequestServices.GetRequiredService<ServerSettings>().MaxRequestBodyBytes;
        if (request.ContentLength > limit)
        {
            return (null, TooLarge($"{request.ContentLength} bytes; at most {limit} are accepted (RecKit:MaxRequestBodyBytes)."));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, Json, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return value is null ? (null, Field("body", "the body is empty or null.")) : (value, null);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            return (null, Field(field, ex.InnerException is InvalidOperationException or FormatException ? "wrong type for this field." : FirstSentence(ex.Message)));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(ex.Message));
        }
    }

    private static IResult TooLarge(string why) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The body is too large.", detail: $"body: {why}");

    /// <summary>A query parameter as an integer in range, or the problem naming it.</summary>
    public static (int Value, IResult? Problem) Int(string? text, string name, int fallback)
    {
        if (text is null)
        {
            return (fallback, null);
        }

        return int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? (value, null)
            : (0, Field(name, $"must be a whole number; it is '{(text.Length > 32 ? text[..32] + "…" : text)}'."));
    }

    /// <summary>A query parameter as a boolean, or the problem naming it.</summary>
    public static (bool Value, IResult? Problem) Bool(string? text, string name) =>
        text is null ? (false, null)
        : bool.TryParse(text, out var value) ? (value, null)
        : (false, Field(name, "must be true or false."));

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..(end + 1)] : message;
    }
}
