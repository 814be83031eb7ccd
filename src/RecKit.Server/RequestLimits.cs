namespace RecKit.Server;

/// <summary>
/// Limits on the request line and headers that answer with a problem document. Kestrel's own limits reject before any
/// middleware runs and send an empty body, so Kestrel is set well above these (<see cref="KestrelRequestLine"/>,
/// <see cref="KestrelHeaders"/>) and the service enforces the documented ones here; only a request beyond Kestrel's
/// own limits, or one that is not HTTP at all, still gets Kestrel's bare status.
/// </summary>
internal static class RequestLimits
{
    /// <summary>Longest path and query the service reads, in characters.</summary>
    public const int MaxTarget = 8 * 1024;

    /// <summary>Largest total of header names and values, in characters.</summary>
    public const int MaxHeaders = 32 * 1024;

    public const int KestrelRequestLine = 64 * 1024;

    public const int KestrelHeaders = 128 * 1024;

    public static async Task Check(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        if ((request.Path.Value?.Length ?? 0) + (request.QueryString.Value?.Length ?? 0) > MaxTarget)
        {
            await Results.Problem(statusCode: StatusCodes.Status414UriTooLong, title: "The request target is too long.", detail: $"path and query: at most {MaxTarget:N0} characters.").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var headers = 0L;
        foreach (var (name, values) in request.Headers)
        {
            headers += name.Length;
            foreach (var value in values) // StringValues' own enumerator: no allocation per header
            {
                headers += value?.Length ?? 0;
            }
        }

        if (headers > MaxHeaders)
        {
            await Results.Problem(statusCode: StatusCodes.Status431RequestHeaderFieldsTooLarge, title: "The request headers are too large.", detail: $"headers: at most {MaxHeaders:N0} characters in all.").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        await next().ConfigureAwait(false);
    }
}
