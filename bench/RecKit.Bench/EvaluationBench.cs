using System.Globalization;
using RecKit.Data;
using RecKit.Evaluation;

namespace RecKit.Bench;

/// <summary>
/// Evaluation speed: users per second for the full protocol (full-catalogue scores from a 64-factor model,
/// training items excluded, top-10 metrics and MRR) over a 10,000-item catalogue. Args: [users] [items] [runs].
/// </summary>
internal static class EvaluationBench
{
    public static int Run(string[] args)
    {
        var users = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var items = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        const int factors = 64;
        var random = new Random(7);
        var userMap = IdMap.FromIds(Enumerable.Range(0, users).Select(u => u.ToString(CultureInfo.InvariantCulture)));
        var itemMap = IdMap.FromIds(Enumerable.Range(0, items).Select(i => i.ToString(CultureInfo.InvariantCulture)));
        (int[] U, int[] I, float[] V) Draw(int perUser)
        {
            var u = new List<int>();
            var i = new List<int>();
            for (var user = 0; user < users; user++)
            {
                foreach (var item in Enumerable.Range(0, perUser).Select(_ => random.Next(items)).Distinct())
                {
                    u.Add(user);
                    i.Add(item);
                }
            }

            return (u.ToArray(), i.ToArray(), Enumerable.Repeat(1f, u.Count).ToArray());
        }

        var (tu, ti, tv) = Draw(50);
        var train = new Interactions(userMap, itemMap, tu, ti, tv, null, meaning: ValueMeaning.None);
        var (su, si, sv) = Draw(10);
        var test = new Interactions(userMap, itemMap, su, si, sv, null, meaning: ValueMeaning.None);
        var model = new RandomFactorModel(
            Enumerable.Range(0, users * factors).Select(_ => (float)random.NextDouble()).ToArray(),
            Enumerable.Range(0, items * factors).Select(_ => (float)random.NextDouble()).ToArray(),
            users,
            items,
            factors);
        foreach (var auc in new[] { false, true })
        {
            var rates = new List<double>();
            for (var r = 0; r < runs; r++)
            {
                var result = Evaluator.Evaluate(model, train, test, new EvaluationOptions { Ks = [10], ComputeAuc = auc });
                rates.Add(result.UsersPerSecond);
            }

            rates.Sort();
            Console.WriteLine($"evaluation, {users:N0} users × {items:N0} items, top-10{(auc ? " + AUC" : string.Empty)}: median {rates[rates.Count / 2]:N0} users/s (runs: {string.Join(", ", rates.Select(x => x.ToString("N0", CultureInfo.InvariantCulture)))})");
        }

        return 0;
    }
}
