using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using RecKit.Models;
using RecKit.Persistence;
using RecKit.Ranking;
using Spectre.Console;

namespace RecKit.Cli.Commands;

/// <summary>
/// `reckit recommend --model FILE (--user ID | --users A,B | --all) --n 10 [--out recommendations.json]`:
/// top-N per user from a saved model, the user's seen items excluded, with scores.
/// </summary>
internal static class RecommendCommand
{
    public static Command Create()
    {
        var modelPath = new Option<string>("--model") { Description = "Saved model file.", Required = true };
        var user = new Option<string?>("--user") { Description = "One user id." };
        var users = new Option<string?>("--users") { Description = "Comma-separated user ids." };
        var all = new Option<bool>("--all") { Description = "Every user the model knows." };
        var history = new Option<string?>("--history") { Description = "Comma-separated item ids of a user not in the model: folds them in (ALS, BPR) and recommends for them." };
        var n = new Option<int>("--n") { Description = "Items per user.", DefaultValueFactory = _ => 10 }.AtLeast(1);
        var output = new Option<string?>("--out") { Description = "Write the lists to this JSON file (default recommendations.json with --all; otherwise print)." };
        var command = new Command("recommend", "Top-N recommendations from a saved model, seen items excluded.") { modelPath, user, users, all, history, n, output };
        command.AtMostOneOf(user, users, all, history);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var count = parse.GetValue(n);

            var saved = ModelFile.Load(parse.GetValue(modelPath)!);
            if (parse.GetValue(history) is { } historyIds)
            {
                return RecommendForHistory(saved, historyIds, count);
            }

            var chosen = ChooseUsers(saved, parse.GetValue(user), parse.GetValue(users), parse.GetValue(all));
            var clock = Stopwatch.StartNew();
            var lists = Recommendations.ForUsers(saved.Model, count, saved.Seen, chosen, cancellation: CommandRunner.Cancellation);
            clock.Stop();
            var target = parse.GetValue(output) ?? (parse.GetValue(all) ? "recommendations.json" : null);
            var modelName = saved.Metadata.GetValueOrDefault("model") ?? saved.Model.GetType().Name;
            if (target is not null)
            {
                var titles = ItemTitles.FromMetadata(saved);
                RecommendationsJson.Write(target, lists, saved.Users, saved.Items, modelName, count, titles is null ? null : i => titles[i]);
                CommandRunner.Out.MarkupLine(CultureInfo.InvariantCulture, "{0:N0} users × top-{1} in {2:F2}s ({3:N0} users/s); wrote {4}",
                    lists.Length, count, clock.Elapsed.TotalSeconds, lists.Length / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), Markup.Escape(target));
                return 0;
            }

            foreach (var list in lists)
            {
                Print($"user {saved.Users[list.User]}" + (saved.Model.IsKnownUser(list.User) ? string.Empty : " (cold start: fallback ranking)"), list, saved);
            }

            return 0;
        }));
        return command;
    }

    /// <summary>A user who is not in the model: their factors are folded in from the listed items, which are then excluded.</summary>
    private static int RecommendForHistory(SavedModel saved, string ids, int count)
    {
        var items = ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(id => saved.Items.TryGetIndex(id, out var i) ? i : throw new ArgumentException($"Unknown item '{id}' in --history: the model has {saved.Items.Count:N0} items and this is not one of them."))
            .Distinct()
            .ToArray();
        if (items.Length == 0)
        {
            throw new ArgumentException("--history lists no items.");
        }

        var name = saved.Metadata.GetValueOrDefault("model") ?? (saved.Model as LatentFactorModel)?.Algorithm ?? string.Empty;
        var settings = saved.Metadata.TryGetValue("settings", out var json) ? JsonNode.Parse(json) as JsonObject : null;
        var history = ModelDefinitions.TryGet(name, out var definition) ? definition.BindHistoryScorer(saved.Model, definition.ReadOptions(settings)) : null;
        if (history is null)
        {
            throw new ArgumentException($"This model ({(name.Length == 0 ? "of unknown kind" : name)}) cannot score a new user's history; {string.Join(", ", HistoryModels())} can.");
        }

        Array.Sort(items);
        var scores = new float[saved.Model.ItemCount];
        history.ScoreHistory(items, default, scores);
        Print($"new user with {items.Length} items (folded in)", Recommendations.SelectTop(-1, scores, count, items), saved);
        return 0;
    }

    private static void Print(string title, UserRecommendations list, SavedModel saved)
    {
        var titles = ItemTitles.FromMetadata(saved);
        var table = new Table().Title(Markup.Escape(title)).AddColumn("rank").AddColumn("item").AddColumn(new TableColumn("score").RightAligned());
        for (var j = 0; j < list.Items.Length; j++)
        {
            table.AddRow((j + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(ItemTitles.Describe(titles, saved.Items, list.Items[j])), list.Scores[j].ToString("F4", CultureInfo.InvariantCulture));
        }

        CommandRunner.Out.Write(table);
    }

    private static int[] ChooseUsers(SavedModel saved, string? one, string? many, bool all)
    {
        if (all)
        {
            return Enumerable.Range(0, saved.Model.UserCount).ToArray();
        }

        var ids = many?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? (one is null ? [] : [one]);
        if (ids.Length == 0)
        {
            throw new ArgumentException("Say whom to recommend for: --user ID, --users A,B or --all.");
        }

        return ids.Select(id => saved.Users.TryGetIndex(id, out var u)
            ? u
            : throw new ArgumentException($"Unknown user '{id}': the model was trained on {saved.Users.Count:N0} users and this is not one of them.")).ToArray();
    }

    private static IEnumerable<string> HistoryModels() => ModelDefinitions.All.Where(d => d.ScoresHistories).Select(d => d.Name);
}
