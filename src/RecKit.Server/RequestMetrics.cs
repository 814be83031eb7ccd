using System.Diagnostics;

namespace RecKit.Server;

/// <summary>
/// Times every request and records it under its route, the variant that answered (when one did) and the status; a
/// request answered 4xx or 5xx also gets a log line with the same labels (successful requests are counted, not
/// logged: a line per request would cost more than the request).
/// </summary>
internal static partial class RequestMetrics
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
            context.RequestServices.GetRequiredService<ServerMetrics>().Request(endpoint, variant, status, Stopwatch.GetElapsedTime(start).TotalSeconds);
            if (status >= 400)
            {
                Failed(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("RecKit.Requests"), context.Request.Method, context.Request.Path, status, endpoint, variant);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered {Status} (endpoint {Endpoint}, variant {Variant})")]
    private static partial void Failed(ILogger log, string method, string path, int status, string endpoint, string variant);
}
