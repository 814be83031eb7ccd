using System.Net;
using Orleans.Configuration;
using RecKit.Cluster;
using RecKit.Serving;

namespace RecKit.Server;

/// <summary>
/// Cluster mode's wiring (<see cref="ClusterSettings"/>): the Orleans silo co-hosted with Kestrel, membership in Redis,
/// and the live user state in user grains that fill themselves from the shared store (and stand in for them, read from
/// the store, while their silo cannot be reached).
/// </summary>
internal static class ClusterHosting
{
    /// <summary>Makes the process a silo; every option is read from the validated settings when the silo starts.</summary>
    public static void AddSilo(WebApplicationBuilder builder)
    {
        var orleansDashboard = builder.Configuration.GetValue<bool>($"{ServerSettings.Section}:Cluster:OrleansDashboard");
        builder.UseOrleans(silo =>
        {
            if (orleansDashboard)
            {
                Orleans.Dashboard.ServiceCollectionExtensions.AddDashboard(silo, _ => { });
            }

            silo.UseRedisClustering(_ => { });
            silo.Services.AddOptions<Orleans.Clustering.Redis.RedisClusteringOptions>().Configure<ServerSettings>((o, s) =>
                o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(s.Cluster.Redis!));
            silo.Services.AddOptions<ClusterOptions>().Configure<ServerSettings>((o, s) => (o.ClusterId, o.ServiceId) = (s.Cluster.ClusterId, "reckit"));
            silo.Services.AddOptions<ClusterMembershipOptions>().Configure<ServerSettings>((o, s) =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(s.Cluster.ProbeSeconds);
                o.NumMissedProbesLimit = s.Cluster.MissedProbes;
            });
            silo.Services.AddOptions<EndpointOptions>().Configure<ServerSettings>((o, s) =>
            {
                o.AdvertisedIPAddress = IPAddress.Parse(s.Cluster.Address);
                o.SiloPort = s.Cluster.SiloPort;
                o.GatewayPort = s.Cluster.GatewayPort;
            });
        });
        builder.Services.AddSingleton<GrainFallbacks>();
        builder.Services.AddSingleton<IUserStateSource>(sp => new ServiceUserStateSource(() => sp.GetRequiredService<RecommendationService>()));
        builder.Services.AddHostedService<ClusterReporter>();
    }

    /// <summary>Orleans' dashboard at /orleans when asked for, behind the same read access as RecKit's dashboard.</summary>
    public static void MapOrleansDashboard(WebApplication app, ServerSettings settings)
    {
        if (!settings.Cluster.Enabled || !settings.Cluster.OrleansDashboard)
        {
            return;
        }

        var access = new Dashboard.DashboardAccess(settings.Dashboard);
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/orleans", StringComparison.Ordinal), branch => branch.Use(async (context, next) =>
        {
            if (!access.Allows(context))
            {
                await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Orleans' dashboard is open as RecKit's dashboard is.", detail: "this machine only, or with serve.dashboard.readKey.").ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        }));
        Orleans.Dashboard.ServiceCollectionExtensions.MapOrleansDashboard(app, routePrefix: "/orleans");
    }

    /// <summary>The rollout gate: a reload waits, its bundle verified, until the cluster switches together.</summary>
    public static IRolloutGate Gate(IServiceProvider services) =>
        new ClusterRolloutGate(services.GetRequiredService<IGrainFactory>(), services.GetRequiredService<Orleans.Runtime.ILocalSiloDetails>(), TimeSpan.FromSeconds(services.GetRequiredService<ServerSettings>().Cluster.RolloutSeconds));

    /// <summary>Each bundle's live state in user grains scoped by its version, filled from the store by the grains themselves.</summary>
    public static LiveStateFactory LiveState(IServiceProvider services) =>
        new(bundle => new GrainLiveUserState(services.GetRequiredService<IGrainFactory>(), bundle.Version, services.GetRequiredService<IUserStateSource>(), services.GetRequiredService<GrainFallbacks>()), LoadsItself: true);
}
