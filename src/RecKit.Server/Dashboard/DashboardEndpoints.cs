using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using RecKit.Serving;

namespace RecKit.Server.Dashboard;

/// <summary>
/// The dashboard under /dashboard: server-rendered pages (Razor components rendered to HTML per request, no client
/// framework, nothing fetched from the internet) over the same service the API answers from. Lists and searches are
/// paged on the server (<see cref="CatalogueBrowser"/>); the live charts are drawn as SVG from <see cref="LiveTimeline"/>.
/// Reading goes through <see cref="DashboardAccess"/>; the buttons that change state call the API with the admin key the
/// user typed into the page (kept in the tab's session storage, never sent back by the server).
/// </summary>
internal static class DashboardEndpoints
{
    public const int PageSize = 25;
    private const int Shown = 10;
    private const int HistoryShown = 100;

    public static void Map(IEndpointRouteBuilder app, ServerSettings settings)
    {
        var access = new DashboardAccess(settings.Dashboard);
        var clustered = settings.Cluster.Enabled;
        Frame Frame(string active, string title, string serving) => new(active, title, serving) { Clustered = clustered };
        var open = app.MapGroup("/dashboard").ExcludeFromDescription();
        open.MapGet("/assets/{name}", (string name) => Asset(name));
        open.MapGet("/signin", (string? back, string? wrong, RecommendationService service) =>
            Page<SignInPage>(new SignInModel(Frame("signin", "Sign in", service.Current.Bundle.Version), Local(back), wrong is not null)));
        open.MapPost("/signin", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync().ConfigureAwait(false);
            var back = Local(form["back"]);
            return access.SignIn(http, form["key"])
                ? Results.Redirect(back)
                : Results.Redirect($"/dashboard/signin?wrong=1&back={Uri.EscapeDataString(back)}");
        }).DisableAntiforgery();

        var pages = app.MapGroup("/dashboard").ExcludeFromDescription().AddEndpointFilter(access).AddEndpointFilter<RequestProblemFilter>();
        pages.MapGet("/", (RecommendationService service, LiveTimeline timeline) =>
        {
            var bundle = service.Current.Bundle;
            var frame = Frame("overview", "Overview", bundle.Version);
            var added = service.Additions.Count;
            return Page<OverviewPage>(new OverviewModel(frame, bundle.Manifest, bundle.Items.Count + added, added, BundleProfile.Of(bundle).Summary, service.Current.Live.Count, service.Options.Experiment?.Name, Live(service, timeline)));
        });

        pages.MapGet("/users", (string? q, string? page, RecommendationService service) =>
        {
            var bundle = service.Current.Bundle;
            var list = CatalogueBrowser.Users(bundle, q, Problems.Int(page, "page", 0), PageSize);
            return Page<UsersPage>(new UsersModel(Frame("users", "Users", bundle.Version), q, list));
        });

        pages.MapGet("/users/{id}", async (string id, RecommendationService service, HttpContext context) =>
        {
            var user = RouteIds.FromPath(context, "users", id);
            return Page<UserPage>(await User(service, user, clustered).ConfigureAwait(false));
        });

        pages.MapGet("/items", (string? q, string? page, RecommendationService service) =>
        {
            var bundle = service.Current.Bundle;
            var list = CatalogueBrowser.Items(bundle, service.Catalogue, q, Problems.Int(page, "page", 0), PageSize);
            return Page<ItemsPage>(new ItemsModel(Frame("items", "Items", bundle.Version), q, list));
        });

        pages.MapGet("/items/{id}", IResult (string id, RecommendationService service, HttpContext context) =>
        {
            var item = RouteIds.FromPath(context, "items", id);
            var bundle = service.Current.Bundle;
            var frame = Frame("items", $"Item {item}", bundle.Version);
            CatalogueItemAnswer described;
            try
            {
                described = service.DescribeItem(item);
            }
            catch (ResourceNotFoundException)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Page<MissingPage>(new MissingModel(frame, $"No item '{item}' in bundle {bundle.Version} or the catalogue."));
            }

            var profile = BundleProfile.Of(bundle);
            var index = bundle.Items.TryGetIndex(item, out var i) ? i : -1;
            RecommendationAnswer? similar = null;
            string? problem = null;
            try
            {
                similar = index >= 0 ? service.Similar(item, Shown) : null;
                problem = index >= 0 ? null : "added after this bundle was trained: no neighbours until the next retrain.";
            }
            catch (RequestFieldException ex)
            {
                problem = ex.Message;
            }

            var rank = index >= 0 ? Array.IndexOf(profile.ItemsByPopularity, index) + 1 : 0;
            return Page<ItemPage>(new ItemModel(frame, described, service.Additions.Find(item)?.Fields, index >= 0 ? profile.ItemCounts[index] : 0, rank, bundle.Items.Count, similar, problem));
        });

        pages.MapGet("/experiments", (RecommendationService service) =>
        {
            var bundle = service.Current.Bundle;
            var frame = Frame("experiments", "Experiments", bundle.Version);
            if (service.Options.Experiment is not { } experiment)
            {
                return Page<ExperimentsPage>(new ExperimentModel(frame, null, null, null));
            }

            // The readout `reckit ab report` prints, from the same code over the same store.
            var options = new AbReportOptions { Experiment = experiment.Name, Arms = experiment.Arms.Select(a => a.Name).ToList(), Control = experiment.ControlArm.Name };
            var report = AbReport.Compute(service.Store.ReadFeedback(), AbReport.LongTail(bundle), options);
            return Page<ExperimentsPage>(new ExperimentModel(frame, experiment, report, null));
        });

        if (clustered)
        {
            pages.MapGet("/cluster", async (RecommendationService service, IServiceProvider services) =>
                Page<ClusterPage>(new ClusterModel(Frame("cluster", "Cluster", service.Current.Bundle.Version), await ClusterView.SilosAsync(services).ConfigureAwait(false))));
        }

        pages.MapGet("/bundles", (RecommendationService service, ScheduledRetrainer retrainer) =>
        {
            var bundle = service.Current.Bundle;
            var frame = Frame("bundles", "Bundles", bundle.Version);
            var shelf = BundleShelf.List(service.Options.BundleRoot, bundle.Version);
            return Page<BundlesPage>(new BundlesModel(frame, shelf, service.Host.Refusals, retrainer.CanRun, retrainer.Running, retrainer.Last));
        });
    }

    private static LiveModel Live(RecommendationService service, LiveTimeline timeline) =>
        new(timeline.Last(60), [.. service.Current.Bundle.Variants.Order(StringComparer.Ordinal)]);

    private static async Task<UserModel> User(RecommendationService service, string user, bool clustered)
    {
        var snapshot = service.Current;
        var bundle = snapshot.Bundle;
        var answers = new List<VariantAnswer>();
        foreach (var variant in bundle.Variants.Order(StringComparer.Ordinal))
        {
            answers.Add(new VariantAnswer(variant, await service.RecommendAsync(user, Shown, variant, explain: true).ConfigureAwait(false)));
        }

        string? Title(string item) => bundle.Items.TryGetIndex(item, out var i) ? bundle.Catalogue[i].Title : service.Additions.Find(item)?.Title;
        var trained = new List<TrainedRow>();
        var trainedCount = 0;
        var inBundle = bundle.Users.TryGetIndex(user, out var u) && !service.Host.IsErasedFrom(bundle, user);
        if (inBundle)
        {
            var columns = bundle.History.RowColumns(u).ToArray();
            var values = bundle.History.RowValues(u).ToArray();
            trainedCount = columns.Length;
            foreach (var j in Enumerable.Range(0, columns.Length).OrderByDescending(j => values[j]).ThenBy(j => columns[j]).Take(HistoryShown))
            {
                var item = columns[j];
                trained.Add(new TrainedRow(bundle.Items[item], bundle.Catalogue[item].Title, bundle.Catalogue[item].Labels, values[j]));
            }
        }

        var ingested = service.Store.ReadUser(user).Where(s => s.Id > bundle.Manifest.IngestedThrough).ToList();
        var latest = ingested.OrderByDescending(s => s.Id).Take(HistoryShown)
            .Select(s => new IngestedRow(s.Id, s.Item, Title(s.Item), s.Type, s.Value, s.Timestamp > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(s.Timestamp) : null))
            .ToList();
        var arm = service.Options.Experiment?.Assign(user);
        var titles = answers.SelectMany(a => a.Answer.Items).SelectMany(i => i.Because ?? []).Distinct(StringComparer.Ordinal).ToDictionary(i => i, Title, StringComparer.Ordinal);
        return new UserModel(new Frame("users", $"User {user}", bundle.Version) { Clustered = clustered }, user, inBundle, arm?.Name, arm?.Variant, answers, trainedCount, trained, ingested.Count, latest, titles);
    }

    private static RazorComponentResult<TPage> Page<TPage>(object model)
        where TPage : Microsoft.AspNetCore.Components.IComponent =>
        new RazorComponentResult<TPage>(new Dictionary<string, object?> { ["Model"] = model });

    /// <summary>Only a path on this dashboard as the place to go back to (never another site).</summary>
    private static string Local(string? back) =>
        back is { Length: > 0 } b && b.StartsWith("/dashboard", StringComparison.Ordinal) && !b.StartsWith("//", StringComparison.Ordinal) ? b : "/dashboard";

    private static IResult Asset(string name)
    {
        var type = Path.GetExtension(name) switch
        {
            ".css" => "text/css; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            _ => null,
        };
        var stream = type is null ? null : Assembly.GetExecutingAssembly().GetManifestResourceStream($"RecKit.Server.Dashboard.Assets.{name}");
        return stream is null ? Results.NotFound() : Results.Stream(stream, type);
    }
}
