using RecKit.Data;
using RecKit.Models;
using RecKit.Training;

namespace RecKit.Cli;

/// <summary>The models the command line can train, by the name a person types.</summary>
internal static class ModelCatalog
{
    private static readonly Dictionary<string, Func<Interactions, TrainingContext, IRecommender>> Trainers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["popularity"] = (train, context) => new PopularityTrainer().Fit(train, context),
        ["bias"] = (train, context) => new BiasTrainer().Fit(train, context),
    };

    public static IReadOnlyCollection<string> Names => Trainers.Keys;

    public static IRecommender Fit(string name, Interactions train, TrainingContext context) =>
        Trainers.TryGetValue(name, out var fit)
            ? fit(train, context)
            : throw new ArgumentException($"Unknown model '{name}'. Known models: {string.Join(", ", Trainers.Keys)}.");

    public static void Require(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (!Trainers.ContainsKey(name))
            {
                throw new ArgumentException($"Unknown model '{name}'. Known models: {string.Join(", ", Trainers.Keys)}.");
            }
        }
    }
}
