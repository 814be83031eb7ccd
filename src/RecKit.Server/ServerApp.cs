using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using OpenTelemetry.Metrics;
using RecKit.Server.Dashboard;
using RecKit.Server.Endpoints;
using RecKit.Serving;
using Scalar.AspNetCore;

namespace RecKit.Server;

/// <summary>
/// The HTTP service over <see cref="RecommendationService"/>: Kestrel, minimal API endpoints (one
/// group per file under Endpoints/), RFC 7807 problems for every bad request, Prometheus metrics, OpenAPI and a Scalar
/// API reference, a per-client rate limiter and a body size limit, and a watcher that hot-reloads new bundles.
/// </summary>
public static class ServerApp
{
    /// <summary>
    /// Builds the app from its one configuration (<see cref="ServeConfiguration"/>): the config file's "serve" section
    /// when given, then appsettings.json, environment variables and <paramref name="args"/>, checked before anything starts.
    /// </summary>
    /// <param name="serve">The config file's "serve" section; null when the server is started without a config file.</param>
    /// <param name="configPath">The config file, for the start-up log.</param>
    public static WebApplication Build(string[] args, JsonObject? serve = null, string? configPath = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (serve is not null)
        {
            ServeConfiguration.AddServeSection(builder.Configuration, serve);
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(o =>
        {
            o.Limits.MaxRequestLineSize = RequestLimits.KestrelRequestLine;
            o.Limits.MaxRequestHeadersTotalSize = RequestLimits.KestrelHeaders;
        });
        builder.Services.AddSingleton(sp => ServeConfiguration.Bind(sp.GetRequiredService<IConfiguration>()));
        // The silo must be added before the host is built, so cluster mode is read from the configuration here; the rest
        // of the settings are bound (and checked) when first resolved, after a test host has added its own.
        var clustered = builder.Configuration.GetValue<bool>($"{ServerSettings.Section}:Cluster:Enabled");
        if (clustered)
        {
            ClusterHosting.AddSilo(builder);
        }

        builder.Services.AddSingleton(sp => RecommendationService.StartAsync(
            sp.GetRequiredService<ServerSettings>().ToServiceOptions(),
            clustered ? ClusterHosting.LiveState(sp) : null,
            clustered ? ClusterHosting.Gate(sp) : null).GetAwaiter().GetResult());
        builder.Services.AddSingleton<ServerMetrics>();
        builder.Services.AddSingleton(sp => new LiveTimeline(sp.GetRequiredService<ServerMetrics>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        builder.Services.AddRazorComponents();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ServerMetrics.MeterName)
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        builder.Services.AddHostedService<BundleWatcher>();
        builder.Services.AddSingleton(new ServeSources(configPath));
        if (clustered)
        {
            builder.Services.AddSingleton<IRetrainLease, ClusterRetrainLease>();
        }
        else
        {
            builder.Services.AddSingleton<IRetrainLease, LocalRetrainLease>();
        }

        builder.Services.AddSingleton<ScheduledRetrainer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ScheduledRetrainer>());
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi(OpenApiDocumentation.Configure);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict; // as bodies are read (Problems.Json): "5" is not a number
        });
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var perSecond = context.RequestServices.GetRequiredService<ServerSettings>().RateLimitPerSecond;
                return perSecond == 0
                    ? RateLimitPartition.GetNoLimiter("all")
                    : RateLimitPartition.GetTokenBucketLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = perSecond,
                        TokensPerPeriod = perSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    });
            });
        });

        var app = builder.Build();
        var serverSettings = app.Services.GetRequiredService<ServerSettings>();
        if (serverSettings.Retraining.Enabled && serverSettings.Retraining.Command is null && ScheduledRetrainer.DefaultCommand() is null)
        {
            throw new ArgumentException("setting 'serve.retraining.command' is needed when RecKit.Server.dll runs on its own (reckit serve retrains with itself): e.g. [\"dotnet\", \"/opt/reckit/RecKit.Cli.dll\", \"retrain\"].");
        }

        var service = app.Services.GetRequiredService<RecommendationService>();
        _ = app.Services.GetRequiredService<ServerMetrics>(); // the instruments exist from the start, before the first request
        if (serverSettings.Dashboard.Enabled)
        {
            _ = app.Services.GetRequiredService<LiveTimeline>(); // listening from the first request
        }
        StartupLog.Write(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("RecKit.Serve"), serverSettings, service, configPath);
        app.Lifetime.ApplicationStopped.Register(() => service.DisposeAsync().AsTask().GetAwaiter().GetResult());

        app.Use(async (context, next) =>
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = serverSettings.MaxRequestBodyBytes;
            }

            await RequestMetrics.Measure(context, () => RequestLimits.Check(context, next)).ConfigureAwait(false);
        });
        ClusterHosting.MapOrleansDashboard(app, serverSettings);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter();

        // Every /v1 endpoint: request errors become problem documents in one place.
        var v1 = app.MapGroup("/v1").AddEndpointFilter<RequestProblemFilter>().ProducesValidationProblem();
        RecommendationEndpoints.Map(v1);
        ItemEndpoints.Map(v1, serverSettings);
        InteractionEndpoints.Map(v1, serverSettings);
        FeedbackEndpoints.Map(v1, serverSettings);
        UserDataEndpoints.Map(v1, serverSettings);
        HealthEndpoints.Map(app);
        AdminEndpoints.Map(app, serverSettings);
        if (serverSettings.Dashboard.Enabled)
        {
            DashboardEndpoints.Map(app, serverSettings);
        }

        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapOpenApi();
        app.MapScalarApiReference();
        return app;
    }
}
