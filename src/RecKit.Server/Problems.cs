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
        AllowDuplicateProperties = false, // {"user": "1", "user": "2"} is an error, not "the last one wins"
    };

    /// <summary>A caller's text as echoed in an answer: at most 64 characters.</summary>
    public static string Shorten(string text) => RequestFieldException.Echo(text);

    public static ValidationProblem Field(string field, string message) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [Shorten(field)] = [message] },
            detail: $"{Shorten(field)}: {message}",
            title: "The request has a field that cannot be accepted.");

    /// <summary>Reads the body as <typeparamref name="T"/>; a body that cannot be read is a request exception naming the field.</summary>
    public static async Task<T> ReadBody<T>(HttpRequest request)
        where T : class
    {
        if (!IsJson(request.ContentType))
        {
            throw new RequestBodyException(StatusCodes.Status415UnsupportedMediaType, "The body must be JSON in UTF-8.", "send Content-Type: application/json (charset, if given, utf-8).");
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
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : Shorten(ex.Path.TrimStart('$', '.'));
            throw new RequestFieldException(field, Explain(ex, typeof(T)));
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
        : throw new RequestFieldException(name, $"must be a whole number; it is '{Shorten(text)}'.");

    /// <summary>A query or path parameter as a long integer, or a request error naming it.</summary>
    public static long Long(string? text, string name, long fallback) =>
        text is null ? fallback
        : long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value
        : throw new RequestFieldException(name, $"must be a whole number; it is '{Shorten(text)}'.");

    /// <summary>A query parameter as a boolean, or a request error naming it.</summary>
    public static bool Bool(string? text, string name) =>
        text is null ? false
        : bool.TryParse(text, out var value) ? value
        : throw new RequestFieldException(name, "must be true or false.");

    /// <summary>application/json, with no parameter but charset=utf-8: jsonp, json-seq, latin1 and the like are refused.</summary>
    private static bool IsJson(string? contentType)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media) || !media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return media.Parameters.All(p => p.Name.Equals("charset", StringComparison.OrdinalIgnoreCase) && (p.Value.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || p.Value.Equals("\"utf-8\"", StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>What was wrong with a body, in the caller's terms: the parser's own messages name .NET types, which callers never see.</summary>
    private static string Explain(JsonException ex, Type target)
    {
        var message = ex.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var accepted = target.GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name));
            return $"unknown field; accepted: {string.Join(", ", accepted)}.";
        }

        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return "given twice; each field may appear once.";
        }

        if (message.Contains("could not be converted", StringComparison.Ordinal) || ex.InnerException is InvalidOperationException or FormatException)
        {
            return "wrong type for this field.";
        }

        var end = message.IndexOf(". ", StringComparison.Ordinal);
        var first = end > 0 ? message[..(end + 1)] : message;
        return first.Contains("System.", StringComparison.Ordinal) || first.Contains("RecKit.", StringComparison.Ordinal) ? "not valid JSON for this request." : Shorten(first);
    }
}
