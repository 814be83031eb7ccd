using System.Text.Json.Nodes;
using RecKit.Data;
using RecKit.Data.Splits;
using RecKit.Evaluation;
using RecKit.Models;

namespace RecKit.Tuning;

/// <summary>How a model is tuned: how many candidates, the deadline, the halving factor, the validation carve and its seed.</summary>
public sealed record TuningOptions
{
    /// <summary>Candidates drawn (the configured settings are one of them). Default 27: rungs of 27, 9, 3, 1 with η = 3.</summary>
    public int Candidates { get; init; } = 27;

    /// <summary>Stop starting trials after this many seconds (null: none).</summary>
    public double? Seconds { get; init; }

    /// <summary>1/η of the candidates survive each rung, on η times the users. Default 3.</summary>
    public int Eta { get; init; } = 3;

    /// <summary>The share of each training user's interactions held out for validation. Default 0.2.</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>NDCG at this cut-off on the validation part is the score. Default 10.</summary>
    public int K { get; init; } = 10;

    public int Seed { get; init; } = 42;

    /// <summary>A validation value at or above this is relevant (null: every held-out interaction). Default null.</summary>
    public float? Relevance { get; init; }

    public void Validate()
    {
        OptionCheck.AtLeast("tune", "candidates", Candidates, 1);
        OptionCheck.AtLeast("tune", "eta", Eta, 2);
        OptionCheck.AtLeast("tune", "k", K, 1);
        if (Seconds is { } s && (!double.IsFinite(s) || s <= 0))
        {
            throw new ArgumentException($"tune: 'seconds' must be above 0; it is {s}.");
        }

        if (!(ValidationFraction > 0 && ValidationFraction < 1))
        {
            throw new ArgumentException($"tune: 'validationFraction' must be between 0 and 1; it is {ValidationFraction}.");
        }
    }
}

/// <summary>A model's tuning: the chosen settings and their validation score, the configured settings' score at the full budget, every trial.</summary>
public sealed record TuningResult(string Model, JsonObject Best, double BestScore, double ConfiguredScore, string Metric, IReadOnlyList<TuningTrial> Trials, double Seconds);

/// <summary>
/// Tunes one model on its training data alone: a validation part is carved from it (a share of each user's
/// interactions; the test part is never seen), candidates are drawn from the model's <see cref="TuningSpace"/> around
/// the configured settings (which are candidate 0), and <see cref="SuccessiveHalving"/> gives the promising ones a
/// larger budget: a trial on budget b trains a model that learns in epochs (ALS, BPR) for a b-share of its epochs on
/// all the data, and fits any other model on a seeded b-share of the users (the same users for every candidate of a
/// rung), so a bad candidate costs a fraction of a full fit.
/// </summary>
public static class ModelTuner
{
    /// <param name="catalogue">The catalogue's feature matrices (item and user features, tags) every trial's model is fitted
    /// with, its interactions ignored; null: none (a two-tower then learns from IDs alone).</param>
    public static TuningResult Tune(string model, JsonObject? settings, Interactions train, TuningOptions options, Action<TuningTrial, TuningTrial>? trialDone = null, ModelInputs? catalogue = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var configuredSpec = ModelSpec.Read(model, settings); // the configured settings are valid before any work
        var space = TuningSpace.For(model, configuredSpec.Options) ?? throw new ArgumentException($"model '{model}' has nothing to tune; tunable: {string.Join(", ", TuningSpace.Tunable)}.");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var random = new Random(options.Seed);
        var candidates = new List<JsonObject> { settings?.DeepClone().AsObject() ?? [] };
        while (candidates.Count < options.Candidates)
        {
            candidates.Add(space.Sample(settings, random));
        }

        var validation = Splitter.PerUser(train, options.ValidationFraction, options.Seed);
        var evaluation = new EvaluationOptions { Ks = [options.K], ComputeAuc = false, Seed = options.Seed, RelevanceThreshold = options.Relevance };
        var metric = $"NDCG@{options.K}";
        var byBudget = new Dictionary<double, Split>();
        var trials = new List<TuningTrial>();
        TuningTrial? best = null;
        double Score(ModelSpec spec, Split part) =>
            Evaluator.Evaluate(spec.Fit((catalogue ?? new ModelInputs(part.Train)) with { Train = part.Train, Relevance = options.Relevance, Context = new TrainingContext { Cancellation = cancellation } }), part.Train, part.Test, evaluation)[metric];
        var halving = SuccessiveHalving.Run(options.Candidates, (c, budget) =>
        {
            cancellation.ThrowIfCancellationRequested();
            var spec = ModelSpec.Read(model, candidates[c]);
            var part = validation;
            if (budget < 1 && spec.Definition.EpochOption is { } epochOption && spec.Definition.Epochs(spec.Options) is { } epochs)
            {
                // A model trained in epochs gets fewer of them on all the data: a share of the users would change the
                // data's size, and with it the best regularisation.
                var shorter = candidates[c].DeepClone().AsObject();
                shorter[epochOption] = Math.Max(1, (int)Math.Round(epochs * budget));
                spec = ModelSpec.Read(model, shorter);
            }
            else if (budget < 1 && !byBudget.TryGetValue(budget, out part))
            {
                byBudget[budget] = part = UserShare(validation, budget, options.Seed);
            }

            return Score(spec, part);
        }, options.Eta, options.Seconds is { } s ? DateTime.UtcNow.AddSeconds(s) : null, t =>
        {
            var trial = new TuningTrial(t.Candidate, candidates[t.Candidate], t.Budget, t.Score, t.Seconds);
            trials.Add(trial);
            if (best is null || trial.Budget > best.Budget || (trial.Budget == best.Budget && trial.Score > best.Score))
            {
                best = trial;
            }

            trialDone?.Invoke(trial, best);
        });
        double Full(int c) => Score(ModelSpec.Read(model, candidates[c]), validation);
        var (winner, budgetReached, score) = SuccessiveHalving.Best(halving);
        if (budgetReached < 1)
        {
            // The deadline came before any candidate had the full budget: the best so far gets one full trial.
            var watch = System.Diagnostics.Stopwatch.StartNew();
            score = Full(winner);
            trials.Add(new TuningTrial(winner, candidates[winner], 1, score, watch.Elapsed.TotalSeconds));
        }

        // The configured settings at the full budget, for comparison: run now if halving dropped them early.
        var configured = trials.FirstOrDefault(t => t.Candidate == 0 && t.Budget >= 1)?.Score ?? Full(0);
        return score >= configured
            ? new TuningResult(model, candidates[winner], score, configured, metric, trials, clock.Elapsed.TotalSeconds)
            : new TuningResult(model, candidates[0], configured, configured, metric, trials, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The validation split restricted to a seeded share of its users (train and validation parts alike).</summary>
    private static Split UserShare(Split split, double share, int seed)
    {
        var users = split.Train.UserCount;
        var keep = new bool[users];
        var random = new Random(seed);
        for (var u = 0; u < users; u++)
        {
            keep[u] = random.NextDouble() < share;
        }

        return new Split(Keep(split.Train, keep), Keep(split.Test, keep));
    }

    private static Interactions Keep(Interactions data, bool[] users)
    {
        var positions = new List<int>(data.Count);
        var rows = data.Users;
        for (var p = 0; p < rows.Length; p++)
        {
            if (users[rows[p]])
            {
                positions.Add(p);
            }
        }

        return data.Subset(positions.ToArray());
    }
}
