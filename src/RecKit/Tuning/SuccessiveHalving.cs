namespace RecKit.Tuning;

/// <summary>
/// Successive halving (Jamieson and Talwalkar, 2016): every candidate is evaluated on a small budget, the best 1/η go on
/// to a budget η times larger, and so on until the survivors have the full budget. Bad candidates are dropped after a
/// cheap trial, so most of the time goes to the promising ones. A deadline stops it early; the best candidate at the
/// largest budget reached is the answer (trials at different budgets are not compared).
/// </summary>
public static class SuccessiveHalving
{
    /// <param name="candidates">How many candidates to start with.</param>
    /// <param name="evaluate">Scores candidate c at a budget share in (0, 1]; higher is better.</param>
    /// <param name="eta">The factor between rungs: 1/η of the candidates survive each rung, with η times the budget.</param>
    /// <param name="deadline">When to stop starting trials (null: none).</param>
    /// <param name="trialDone">Called after every trial.</param>
    public static IReadOnlyList<(int Candidate, double Budget, double Score, double Seconds)> Run(
        int candidates, Func<int, double, double> evaluate, int eta = 3, DateTime? deadline = null, Action<(int Candidate, double Budget, double Score, double Seconds)>? trialDone = null)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        ArgumentOutOfRangeException.ThrowIfLessThan(candidates, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(eta, 2);
        var rungs = 0;
        for (var n = candidates; n > 1; n = (n + eta - 1) / eta)
        {
            rungs++;
        }

        var trials = new List<(int, double, double, double)>();
        var alive = Enumerable.Range(0, candidates).ToList();
        for (var rung = 0; rung <= rungs && alive.Count > 0; rung++)
        {
            var budget = Math.Pow(eta, rung - rungs); // the last rung has the full budget
            var scored = new List<(int Candidate, double Score)>();
            foreach (var c in alive)
            {
                if (deadline is { } end && DateTime.UtcNow >= end && (scored.Count > 0 || rung > 0))
                {
                    break;
                }

                var clock = System.Diagnostics.Stopwatch.StartNew();
                var score = evaluate(c, budget);
                var trial = (c, budget, score, clock.Elapsed.TotalSeconds);
                trials.Add(trial);
                trialDone?.Invoke(trial);
                scored.Add((c, double.IsNaN(score) ? double.NegativeInfinity : score));
            }

            if (deadline is { } stop && DateTime.UtcNow >= stop)
            {
                break;
            }

            var keep = Math.Max(1, (alive.Count + eta - 1) / eta);
            alive = [.. scored.OrderByDescending(s => s.Score).ThenBy(s => s.Candidate).Take(rung == rungs ? 0 : keep).Select(s => s.Candidate)];
        }

        return trials;
    }

    /// <summary>How many trials a run over this many candidates makes at most (no deadline).</summary>
    public static int Trials(int candidates, int eta)
    {
        var total = 0;
        for (var n = candidates; ; n = (n + eta - 1) / eta)
        {
            total += n;
            if (n <= 1)
            {
                return total;
            }
        }
    }

    /// <summary>The best candidate among the trials at the largest budget any reached.</summary>
    public static (int Candidate, double Budget, double Score) Best(IReadOnlyList<(int Candidate, double Budget, double Score, double Seconds)> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var top = trials.Max(t => t.Budget);
        var best = trials.Where(t => t.Budget == top).OrderByDescending(t => t.Score).ThenBy(t => t.Candidate).First();
        return (best.Candidate, best.Budget, best.Score);
    }
}
