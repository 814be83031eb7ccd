using RecKit.Data;
using RecKit.Data.Splits;
using RecKit.Models;

namespace RecKit.Ranking;

/// <summary>
/// Chooses how many items each candidate source adds, by measured marginal recall: every source ranks the catalogue
/// for a sample of held-out users (its top <c>budget</c>, known items excluded), and a greedy pass hands out the
/// budget a step at a time to the source whose next step finds the most relevant held-out items that no source's
/// current share already holds. The sizes sum to at most the budget, so no user gets more candidates than that.
/// Measure on a part the meta models train on (meta_train), never on test.
/// </summary>
public static class CandidatePlanner
{
    /// <param name="sources">Fitted candidate sources (base models and popularity), by name.</param>
    /// <param name="history">Each user's known items (excluded from the candidates).</param>
    /// <param name="heldOut">The held-out interactions whose relevant items the candidates should hold.</param>
    /// <param name="threshold">A held-out value at or above this is relevant; null: every held-out interaction.</param>
    /// <param name="budget">Candidates per user at most (the sizes' sum).</param>
    /// <param name="step">Items handed out at a time.</param>
    /// <param name="users">Held-out users measured at most (a seeded sample).</param>
    /// <param name="always">Sources given one step before the greedy starts, whatever they find: popularity, so that a
    /// user no personal source can score (a visitor to a model without a history scorer) still gets candidates.</param>
    public static CandidatePlan Plan(IReadOnlyList<(string Name, IRecommender Model)> sources, CsrMatrix history, Interactions heldOut, float? threshold, int budget = 300, int step = 10, int users = 2_000, int seed = 42, IReadOnlyCollection<string>? always = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(heldOut);
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        if (sources.Count == 0)
        {
            throw new ArgumentException("at least one candidate source is needed", nameof(sources));
        }

        var sample = UserSample.Of(heldOut, users, seed);
        var byUser = sample.ByUser;
        var measured = UserSample.Users(sample);
        var depth = Math.Min(budget, history.ColumnCount);

        // The relevant held-out (user, item) pairs, and each source's rank of each pair's item (depth when deeper).
        var relevant = Array.ConvertAll(measured, u => Relevant(byUser, u, threshold));
        var pairStart = new int[measured.Length + 1];
        for (var j = 0; j < measured.Length; j++)
        {
            pairStart[j + 1] = pairStart[j] + relevant[j].Length;
        }

        var pairs = pairStart[^1];
        var ranks = new int[sources.Count][];
        for (var s = 0; s < sources.Count; s++)
        {
            ranks[s] = new int[pairs];
        }

        Parallel.For(
            0,
            measured.Length,
            new ParallelOptions { CancellationToken = cancellation },
            () => (Scores: new float[history.ColumnCount], Top: new int[depth]),
            (j, _, buffers) =>
            {
                for (var s = 0; s < sources.Count; s++)
                {
                    var n = CandidateGenerator.SourceTop(sources[s].Model, measured[j], history, buffers.Scores, buffers.Top);
                    for (var p = 0; p < relevant[j].Length; p++)
                    {
                        var at = Array.IndexOf(buffers.Top, relevant[j][p], 0, n);
                        ranks[s][pairStart[j] + p] = at < 0 ? depth : at;
                    }
                }

                return buffers;
            },
            _ => { });

        // Greedy: a step at a time to the source whose next step covers the most pairs not yet covered.
        var sizes = new int[sources.Count];
        var covered = new bool[pairs];
        var coveredCount = 0;
        var steps = new List<(string Source, int Size, double Recall)>();
        var first = sources.Select((source, s) => (source.Name, s)).Where(p => always?.Contains(p.Name) == true).Select(p => p.s).ToList();
        for (var used = 0; used < budget;)
        {
            var grant = Math.Min(step, budget - used);
            int best = -1, bestGain = 0;
            if (first.Count > 0)
            {
                best = first[0];
                first.RemoveAt(0);
            }
            else
            {
                for (var s = 0; s < sources.Count; s++)
                {
                    var gain = sizes[s] >= depth ? 0 : Gain(ranks[s], covered, sizes[s], sizes[s] + grant);
                    if (gain > bestGain)
                    {
                        (best, bestGain) = (s, gain);
                    }
                }
            }

            if (best < 0)
            {
                break; // no source's next step finds anything more: a smaller candidate set costs less to rank
            }

            sizes[best] += grant;
            used += grant;
            for (var p = 0; p < pairs; p++)
            {
                if (!covered[p] && ranks[best][p] < sizes[best])
                {
                    covered[p] = true;
                    coveredCount++;
                }
            }

            steps.Add((sources[best].Name, sizes[best], pairs == 0 ? double.NaN : (double)coveredCount / pairs));
        }

        var curves = new Dictionary<string, double[]>();
        for (var s = 0; s < sources.Count; s++)
        {
            var found = new long[depth + 1];
            foreach (var r in ranks[s])
            {
                found[r]++;
            }

            var curve = new double[depth + 1];
            long sum = 0;
            for (var d = 1; d <= depth; d++)
            {
                sum += found[d - 1];
                curve[d] = pairs == 0 ? double.NaN : (double)sum / pairs;
            }

            curves[sources[s].Name] = curve;
        }

        return new CandidatePlan(
            [.. sources.Select((source, s) => (source.Name, sizes[s])).Where(p => p.Item2 > 0)],
            pairs == 0 ? double.NaN : (double)coveredCount / pairs,
            curves,
            steps)
        {
            Budget = budget,
            Step = step,
            UsersMeasured = measured.Length,
            RelevantPairs = pairs,
        };
    }

    /// <summary>Pairs not yet covered whose item the source ranks in [from, to).</summary>
    private static int Gain(int[] rank, bool[] covered, int from, int to)
    {
        var gain = 0;
        for (var p = 0; p < rank.Length; p++)
        {
            gain += !covered[p] && rank[p] >= from && rank[p] < to ? 1 : 0;
        }

        return gain;
    }

    /// <summary>The user's held-out items that are relevant under <paramref name="threshold"/>.</summary>
    private static int[] Relevant(CsrMatrix byUser, int user, float? threshold)
    {
        var items = byUser.RowColumns(user);
        var values = byUser.RowValues(user);
        var relevant = new List<int>(items.Length);
        for (var k = 0; k < items.Length; k++)
        {
            if (Relevance.IsRelevant(values[k], threshold))
            {
                relevant.Add(items[k]);
            }
        }

        return [.. relevant];
    }
}
