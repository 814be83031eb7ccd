using System.CommandLine;
using System.Globalization;
using RecKit.Serving;
using Spectre.Console;

using RecKit.Bundles;

namespace RecKit.Cli.Commands;

/// <summary>`reckit ab report --db FILE --bundle-root DIR`: CTR per experiment arm with intervals, the difference, long-tail exposure.</summary>
internal static class AbCommand
{
    public static Command Create()
    {
        var db = new Option<string>("--db") { Description = "The service's SQLite interaction store.", Required = true };
        var root = new Option<string>("--bundle-root") { Description = "Bundle root whose current bundle defines item popularity (the long tail).", Required = true };
        var report = new Command("report", "CTR per arm with a 95% interval, the difference between the first two arms, and long-tail exposure per arm.") { db, root };
        report.SetAction(parse => CommandRunner.Run(() =>
        {
            var path = parse.GetValue(db)!;
            if (!File.Exists(path))
            {
                throw new ArgumentException($"--db: {Path.GetFullPath(path)} does not exist.");
            }

            var store = new BundleStore(parse.GetValue(root)!);
            var version = store.CurrentVersion() ?? throw new ArgumentException($"--bundle-root: {store.Root} has no current bundle.");
            var bundle = ServingBundle.Load(store.PathOf(version));
            var interactions = SqliteInteractionStore.Open(path);
            try
            {
                var (arms, difference) = AbReport.Compute(interactions.ReadFeedback().ToList(), AbReport.LongTail(bundle));
                var table = new Table().AddColumn("arm").AddColumn("variant").AddColumn(new TableColumn("impressions").RightAligned()).AddColumn(new TableColumn("clicks").RightAligned())
                    .AddColumn(new TableColumn("CTR").RightAligned()).AddColumn(new TableColumn("95% interval").RightAligned()).AddColumn(new TableColumn("long-tail share").RightAligned()).AddColumn(new TableColumn("tail items shown").RightAligned());
                foreach (var a in arms)
                {
                    table.AddRow(Markup.Escape(a.Arm), Markup.Escape(a.Variants), a.Impressions.ToString("N0", CultureInfo.InvariantCulture), a.Clicks.ToString("N0", CultureInfo.InvariantCulture), Percent(a.Ctr, 2), $"{Percent(a.CtrLow, 2)} – {Percent(a.CtrHigh, 2)}", Percent(a.TailShare, 1), a.TailItemsShown.ToString(CultureInfo.InvariantCulture));
                }

                CommandRunner.Out.Write(table);
                CommandRunner.Out.WriteLine(difference is { } d
                    ? string.Create(CultureInfo.InvariantCulture, $"CTR {d.Second} − {d.First}: {d.Difference:+0.00%;-0.00%} (95% interval {d.Low:+0.00%;-0.00%} to {d.High:+0.00%;-0.00%}){(d.Low > 0 || d.High < 0 ? "" : "; the interval holds 0: no significant difference yet")}")
                    : "fewer than two arms with impressions: no difference to show.");
                CommandRunner.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"long tail: items outside the most popular ones that make up {Percent(AbReport.HeadShare, 0)} of bundle {version}'s interactions."));
            }
            finally
            {
                interactions.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            return 0;
        }));
        return new Command("ab", "A/B experiments of the online service.") { report };
    }

    private static string Percent(double share, int decimals) => (share * 100).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%";
}
