using System.CommandLine;
using System.Globalization;
using RecKit.Bundles;
using RecKit.Server;
using RecKit.Serving;
using Spectre.Console;

namespace RecKit.Cli.Commands;

/// <summary>
/// `reckit ab report [--config FILE] [--experiment NAME] [--control ARM] [--from T] [--to T] [--bundle V]`: one
/// experiment's CTR per arm with intervals clustered by user, each arm against the control, long-tail exposure, and
/// what was left out. The store, bundle root and experiment come from the service's configuration, as reckit serve reads it.
/// </summary>
internal static class AbCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = $"The config file the service runs with (default ./{ConfigFile.DefaultName} when present): its store, bundles and experiment." };
        var db = new Option<string?>("--db") { Description = "The service's SQLite interaction store. Default: as reckit serve finds it." };
        var root = new Option<string?>("--bundle-root") { Description = "Bundle root whose current bundle defines item popularity (the long tail). Default: as reckit serve finds it." };
        var experiment = new Option<string?>("--experiment") { Description = "The experiment to report, by name. Default: the one configured (serve.experiment)." };
        var control = new Option<string?>("--control") { Description = "The arm the others are compared with. Default: serve.experiment.control, else its first arm." };
        var from = new Option<string?>("--from") { Description = "Only feedback at or after this time (ISO 8601, e.g. 2026-11-01T00:00Z, or Unix milliseconds)." };
        var to = new Option<string?>("--to") { Description = "Only feedback before this time (ISO 8601 or Unix milliseconds)." };
        var bundle = new Option<string?>("--bundle") { Description = "Only feedback logged while this bundle version served (e.g. v0002)." };
        var report = new Command("report", "CTR per arm with 95% intervals clustered by user, each arm against the control (points and relative), long-tail exposure.") { config, db, root, experiment, control, from, to, bundle };
        report.TreatUnmatchedTokensAsErrors = false; // --RecKit:Key=value, as for reckit serve
        report.SetAction(parse => CommandRunner.Run(() =>
        {
            var (serve, file) = ServeCommand.Section(parse.GetValue(config));
            var settings = ServeConfiguration.Read(serve, [.. ServeCommand.Overrides(parse.UnmatchedTokens, parse.GetValue(root), parse.GetValue(db), null)]);
            var service = settings.ToServiceOptions();
            if (!service.StoreExists)
            {
                throw new ArgumentException($"--db: {Path.GetFullPath(service.DatabasePath)} does not exist.");
            }

            var name = parse.GetValue(experiment) ?? settings.Experiment?.Name ?? throw new ArgumentException("--experiment: no experiment is configured (serve.experiment); name the one to report.");
            var configured = settings.Experiment is { } e && e.Name == name ? e : null;
            var options = new AbReportOptions
            {
                Experiment = name,
                Arms = configured?.Arms.Select(a => a.Name).ToList(),
                Control = parse.GetValue(control) ?? configured?.ControlArm.Name,
                From = Time(parse.GetValue(from), "--from"),
                To = Time(parse.GetValue(to), "--to"),
                Bundle = parse.GetValue(bundle),
            };
            var bundles = new BundleStore(service.BundleRoot);
            var version = bundles.CurrentVersion() ?? throw new ArgumentException($"--bundle-root: {bundles.Root} has no current bundle.");
            var tail = AbReport.LongTail(ServingBundle.Load(bundles.PathOf(version)));
            var store = service.OpenStore();
            AbReportResult result;
            try
            {
                result = AbReport.Compute(store.ReadFeedback(), tail, options);
            }
            finally
            {
                store.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            CommandRunner.Out.MarkupLine("{0}", Markup.Escape(file.Describe()));
            Print(result, version);
            return 0;
        }));
        return new Command("ab", "A/B experiments of the online service.") { report };
    }

    private static void Print(AbReportResult result, string version)
    {
        var o = CommandRunner.Out;
        o.WriteLine($"experiment {result.Experiment}, control {result.Control}");
        var table = new Table().AddColumn("arm").AddColumn("variant").AddColumn(new TableColumn("users").RightAligned()).AddColumn(new TableColumn("impressions").RightAligned()).AddColumn(new TableColumn("clicks").RightAligned())
            .AddColumn(new TableColumn("CTR").RightAligned()).AddColumn(new TableColumn("95% interval").RightAligned()).AddColumn(new TableColumn("long-tail share").RightAligned()).AddColumn(new TableColumn("tail items shown").RightAligned());
        foreach (var a in result.Arms)
        {
            table.AddRow(Markup.Escape(a.Arm), Markup.Escape(a.Variants), N(a.Users), N(a.Impressions), N(a.Clicks), Percent(a.Ctr), $"{Percent(a.CtrLow)} – {Percent(a.CtrHigh)}", Percent(a.TailShare, 1), N(a.TailItemsShown));
        }

        o.Write(table);
        foreach (var d in result.Differences)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{d.Treatment} vs {d.Control}: CTR {d.Points * 100:+0.00;-0.00} points (95% interval {d.PointsLow * 100:+0.00;-0.00} to {d.PointsHigh * 100:+0.00;-0.00}), relative {d.Relative:+0.0%;-0.0%} ({d.RelativeLow:+0.0%;-0.0%} to {d.RelativeHigh:+0.0%;-0.0%}){(d.Significant ? string.Empty : "; the interval holds 0: no significant difference yet")}"));
        }

        if (result.Differences.Count == 0)
        {
            o.WriteLine("no arm to compare with the control yet (each needs users with impressions).");
        }

        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"left out: {result.OutsideExperiment:N0} impressions and clicks outside the experiment, {result.OutsideFilters:N0} outside --from/--to/--bundle, {result.UnknownArm:N0} under an arm it does not have; {result.OrphanClicks:N0} clicks without an impression of that item to that user (not in any CTR)."));
        o.WriteLine("intervals are clustered by user (delta method): a user's impressions are not independent trials.");
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"long tail: items outside the most popular ones that make up {AbReport.HeadShare:0%} of bundle {version}'s interactions."));
    }

    private static long? Time(string? text, string flag)
    {
        if (text is null)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            return ms;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUnixTimeMilliseconds()
            : throw new ArgumentException($"{flag}: '{text}' is neither an ISO 8601 time (2026-11-01T00:00Z) nor Unix milliseconds.");
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double share, int decimals = 2) => (share * 100).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%";
}
