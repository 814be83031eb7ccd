using RecKit.Evaluation;
using RecKit.Ranking;

namespace RecKit.Tests.Ranking;

public sealed class StackCeilingTests
{
    /// <summary>
    /// Each row's one feature is its user; a fitted fake remembers the users it learned from, and a user's figure is 1
    /// when the ranking stack learned from that user's own rows, 0 otherwise: any leak of a half into its own ranking shows.
    /// </summary>
    [Fact]
    public void EachHalf_IsRankedByStacksThatNeverSawItsRows_AndAsRunIsTheRunsOwnFigure()
    {
        int[] testUsers = [0, 1, 2, 3, 4, 5, 6];
        var test = Rows(testUsers, rowsPerUser: 3);
        var meta = Rows([100, 101], rowsPerUser: 2);
        var run = new Remembering(meta);
        var fits = new List<Remembering>();

        var ceiling = StackCeiling.Measure(
            [(run, set => { var fitted = new Remembering(set); fits.Add(fitted); return fitted; })],
            meta,
            test,
            k: 10,
            model => [.. testUsers.Select(u => new UserEvaluation(u, 1, [new Metric("NDCG@10", ((Remembering)model).Saw.Contains(u) ? 1 : 0.25)]))]).Single();

        Assert.Equal("Remembering", ceiling.Model);
        Assert.Equal(testUsers.Length, ceiling.Users);
        Assert.Equal(0.25, ceiling.MetaTrained, 12);
        Assert.Equal(0.25, ceiling.TestTrained, 12);
        Assert.Equal(0.25, ceiling.MetaAndTestTrained, 12);

        // Four fits: each half's users, alone and beside the meta rows; together they saw every test user.
        Assert.Equal(4, fits.Count);
        Assert.Equal(testUsers, fits.SelectMany(f => f.Saw).Where(u => u < 100).Distinct().Order());
        Assert.All(fits.Where(f => f.Saw.Contains(100)), f => Assert.Contains(101, f.Saw));
        Assert.Equal(2, fits.Count(f => f.Saw.Contains(100)));
    }

    private static StackTrainingSet Rows(int[] users, int rowsPerUser)
    {
        var count = users.Length * rowsPerUser;
        var rows = new float[count];
        var groups = new uint[count];
        for (var r = 0; r < count; r++)
        {
            rows[r] = users[r / rowsPerUser];
            groups[r] = (uint)users[r / rowsPerUser];
        }

        return new StackTrainingSet(rows, new float[count], groups, count, ["user"]);
    }

    private sealed class Remembering(StackTrainingSet set) : IMetaModel
    {
        public HashSet<int> Saw { get; } = [.. set.Rows.AsSpan(0, set.Count).ToArray().Select(v => (int)v)];

        public string Name => "Remembering";

        public IReadOnlyList<(string Feature, double Importance)> Importances => [];

        public float[] Predict(float[] rows, int count) => new float[count];
    }
}
