using System.Diagnostics;

namespace RecKit.Server;

/// <summary>Times every request and records it under its route, the variant that answered (when one did) and the status.</summary>
internal static class RequestMetrics
{
    public const string VariantKey = "reckit.variant";

    public static async Task Measure(HttpContext context, Func<Task> next)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await next().ConfigureAwait(false);
        }
        finally
        {
            var endpoint = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            var status = context.Response.StatusCode;
            var variant = context.Items.TryGetValue(VariantKey, out var v) && v is string name ? name : "none";
            var code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            ServerMetrics.RequestSeconds.WithLabels(endpoint, variant, code).Observe(Stopwatch.GetElapsedTime(start).TotalSeconds);
            if (status >= 400)
            {
                ServerMetrics.Errors.WithLabels(endpoint, code).Inc();
            }
        }
    }
}
