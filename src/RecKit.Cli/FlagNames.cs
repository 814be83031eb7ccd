namespace RecKit.Cli;

/// <summary>
/// The library's messages name settings (ratingScale, values, the checkpoint path); commands that take those as flags
/// add the flag beside the setting, so the person sees what to type.
/// </summary>
internal static class FlagNames
{
    private static readonly (string Setting, string Flag)[] Known =
    [
        ("ratingScale", "--rating-scale"),
        ("values Counts", "--values counts"),
        ("earlyStopping.checkpointPath", "--checkpoint"),
        ("without resuming", "without --resume"),
    ];

    /// <summary>The message with each known setting followed by its flag, for <paramref name="command"/> (not for run, serve or retrain, which read settings).</summary>
    public static string Annotate(string message, string command)
    {
        if (command is "run" or "serve" or "retrain")
        {
            return message;
        }

        foreach (var (setting, flag) in Known)
        {
            message = message.Replace(setting, $"{setting}: {flag}", StringComparison.Ordinal);
        }

        return message;
    }
}
