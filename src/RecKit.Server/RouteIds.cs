using Microsoft.AspNetCore.Http.Features;

namespace RecKit.Server;

/// <summary>
/// An id taken from the path exactly as the client encoded it. Routing decodes every escape but %2F (it would change
/// the path's segments), so "team%2F42" reached the service as that text and a user "team/42" could not be served;
/// the raw request target is decoded once here instead.
/// </summary>
internal static class RouteIds
{
    /// <summary>
    /// The segment after <paramref name="collection"/> ("users", "items") in the raw target, decoded once. A host
    /// without a raw target (the in-memory test server) gives the route value with its %2F decoded.
    /// </summary>
    public static string FromPath(HttpContext context, string collection, string routeValue)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || !raw.StartsWith('/'))
        {
            return routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        }

        var path = raw.Split('?', 2)[0];
        var segments = path.Split('/');
        var at = Array.IndexOf(segments, collection);
        return at >= 0 && at + 1 < segments.Length ? Uri.UnescapeDataString(segments[at + 1]) : routeValue;
    }
}
