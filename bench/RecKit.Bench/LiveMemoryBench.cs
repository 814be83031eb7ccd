using System.Globalization;
using RecKit.Serving;

namespace RecKit.Bench;

/// <summary>
/// What the live state costs in memory per ingested interaction (the backlog a retrain takes in): N interactions of
/// USERS users over ITEMS items (uniform, 5% of them negatives) applied to <see cref="InProcessLiveUserState"/>, the
/// managed heap measured after a full collection before and after. Strings for user ids are made before the first
/// measurement's baseline is taken? No: a user id is part of what the state holds, so each is made as the service
/// makes it (parsed from the request) and counted. Args: [N] [USERS] [ITEMS].
/// </summary>
internal static class LiveMemoryBench
{
    public static int Run(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var users = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50_000;
        var items = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10_000;
        var random = new Random(7);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var state = new InProcessLiveUserState();
        var batch = new List<LiveInteraction>(1000);
        for (var j = 0; j < n; j++)
        {
            var user = random.Next(users).ToString(CultureInfo.InvariantCulture); // a fresh string per interaction, as parsed from a request
            batch.Add(new LiveInteraction(user, random.Next(items), random.NextDouble() < 0.05 ? -1f : 1f, j + 1));
            if (batch.Count == batch.Capacity)
            {
                state.ApplyAsync(batch).AsTask().GetAwaiter().GetResult();
                batch.Clear();
            }
        }

        state.ApplyAsync(batch).AsTask().GetAwaiter().GetResult();
        batch.Clear();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(state);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{n:N0} interactions of {users:N0} users over {items:N0} items: managed heap +{(after - before) / 1e6:F1} MB, {(double)(after - before) / n:F1} bytes per interaction ({state.UserCount:N0} users held)"));
        return 0;
    }
}
