using System.Globalization;
using RecKit.Ranking;
using Spectre.Console;

namespace RecKit.Cli.Pipeline;

/// <summary>The main job's figures as a console table (run and retrain print it at the end).</summary>
internal static class ReportTable
{
    public static void Print(StackReport report, int k)
    {
        var table = new Table().AddColumn("model").AddColumn("trained on");
        string[] metrics = [$"HitRate@{k}", $"Precision@{k}", $"Recall@{k}", $"NDCG@{k}", $"MAP@{k}", "RMSE"];
        foreach (var m in metrics)
        {
            table.AddColumn(new TableColumn(m).RightAligned());
        }

        foreach (var row in report.Rows)
        {
            table.AddRow([row.Model, row.TrainedOn, .. metrics.Select(m => row.Result.TryGet(m, out var v) && double.IsFinite(v) ? v.ToString("F4", CultureInfo.InvariantCulture) : "-")]);
        }

        CommandRunner.Out.Write(table);
        CommandRunner.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"candidate recall (test): {report.CandidateRecall:P1} of relevant pairs, {report.CandidateRecallPerUser:P1} per user"));
    }

    /// <summary>Runs the main job with console progress (timestamped lines) and prints the table; exit code 0.</summary>
    public static int RunMainJob(RecKit.Pipeline.MainJobSettings settings, RecKit.Pipeline.MainJob.Retraining? retraining = null)
    {
        RecKit.Pipeline.MainJobResult? result = null;
        CommandRunner.Live(autoClear: false, live =>
        {
            var progress = new StageProgress(CommandRunner.Out, live);
            result = new RecKit.Pipeline.MainJob(settings, new RecKit.Reports.MainJobReports(), new RecKit.Serving.ServedBundleLoader(), progress, retraining).Run(CommandRunner.Cancellation);
            progress.Finish();
        });
        Print(result!.Report, result.K);
        return 0;
    }
}
