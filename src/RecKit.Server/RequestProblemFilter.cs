using RecKit.Serving;

namespace RecKit.Server;

/// <summary>
/// The one mapping from request errors to RFC 7807 problem documents, on every route group: a bad field anywhere in
/// the service (<see cref="RequestFieldException"/>) is a 400 naming it; a body of the wrong type or size
/// (<see cref="RequestBodyException"/>) is its 415 or 413; a store that could not commit is a 503 (nothing stored); in
/// cluster mode, a grain call that failed because a silo stopped is a 503 with Retry-After.
/// Endpoints just throw.
/// </summary>
internal sealed partial class RequestProblemFilter : IEndpointFilter
{
    [LoggerMessage(Level = LogLevel.Error, Message = "store write failed, answered 503: {Reason}")]
    private static partial void StoreFailed(ILogger log, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "a grain call failed ({Kind}: {Reason}), answered 503")]
    private static partial void ClusterUnavailable(ILogger log, string kind, string reason);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (RequestFieldException ex)
        {
            return Problems.Field(ex.Field, ex.Message);
        }
        catch (ResourceNotFoundException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: $"{ex.Field}: {ex.Message}");
        }
        catch (RequestBodyException ex)
        {
            return TypedResults.Problem(statusCode: ex.Status, title: ex.Title, detail: $"body: {ex.Message}");
        }
        catch (Exception ex) when (ex is Orleans.Runtime.OrleansException or TimeoutException)
        {
            // Cluster mode: the user's grain was on a silo that stopped and has not yet been declared dead (or a call timed
            // out). Nothing is lost: an ingest was committed before its grain call, and the grain comes back from the store.
            var log = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("RecKit.Cluster");
            ClusterUnavailable(log, ex.GetType().Name, ex.Message);
            context.HttpContext.Response.Headers.RetryAfter = "2";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The cluster is taking over this user's state.", detail: "A server of the cluster stopped; the others are taking over its users. Retry in a few seconds (any interaction this request stored is kept).");
        }
        catch (IOException ex)
        {
            // The store could not commit: nothing of the request was stored or applied. Say so without the file path.
            var log = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("RecKit.Store");
            StoreFailed(log, ex.Message);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The interaction store could not commit.", detail: "Nothing of this request was stored; retry it.");
        }
    }
}

/// <summary>A request body that cannot be read at all: the wrong content type (415) or too large (413).</summary>
internal sealed class RequestBodyException(int status, string title, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Title { get; } = title;
}
