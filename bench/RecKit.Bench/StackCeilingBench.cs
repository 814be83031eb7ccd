using System.Globalization;
using System.Text.Json;
using RecKit.Data;
using RecKit.Persistence;
using RecKit.Pipeline;
using RecKit.Ranking;

namespace RecKit.Bench;

/// <summary>
/// What the meta split costs the stacks (<see cref="StackCeiling"/>): the main job on a config, its outputs under a
/// scratch folder, with the logistic and XE-NDCG stacks also fitted on the test rows themselves, two-fold over the test
/// users. Args: CONFIG [OUT] (OUT: where the run writes; a temporary folder, deleted after, when left out).
/// </summary>
internal static class StackCeilingBench
{
    public static int Run(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: stack-ceiling CONFIG [OUT]");
            return 2;
        }

        try
        {
            return Measure(args);
        }
        catch (Exception ex) when (ex is DataFormatException or ModelFormatException or ArgumentException or InvalidOperationException or IOException or JsonException)
        {
            Console.Error.WriteLine($"stack-ceiling: {args[0]}: {ex.Message}");
            return 2;
        }
    }

    private static int Measure(string[] args)
    {
        var settings = JsonSerializer.Deserialize<MainJobSettings>(File.ReadAllText(args[0]), StrictJson.Options)
            ?? throw new JsonException("the config is empty");
        settings.Validate();
        var scratch = args.Length > 1 ? null : Directory.CreateTempSubdirectory("reckit-ceiling-").FullName;
        try
        {
            var job = new MainJob(settings.WithOutputUnder(args.Length > 1 ? args[1] : scratch!), new RecKit.Reports.MainJobReports(), new RecKit.Serving.ServedBundleLoader(), new LineProgress(Console.WriteLine))
            {
                MeasureStackCeiling = true,
            };
            var result = job.Run(CancellationToken.None);
            var best = result.Report.Rows.Where(r => r.TrainedOn == "train_full").MaxBy(r => r.Result[$"NDCG@{result.K}"])!;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best single model: {best.Model} (train_full) NDCG@{result.K} {best.Result[$"NDCG@{result.K}"]:F4}"));
            Console.WriteLine($"| stack | fitted on meta rows (as run) | fitted on the other half of test | on meta rows and the other half | users |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
            foreach (var c in result.Report.Ceiling)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {c.Model} | {c.MetaTrained:F4} | {c.TestTrained:F4} | {c.MetaAndTestTrained:F4} | {c.Users} |"));
            }

            return 0;
        }
        finally
        {
            if (scratch is not null)
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }
}
