using System.CommandLine;
using RecKit.Data;
using RecKit.Data.Splits;

namespace RecKit.Cli;

/// <summary>The split options shared by `split` and `evaluate`, and the one place that performs the split.</summary>
internal sealed class SplitOptions
{
    public static readonly string[] Methods = ["per-user", "per-item", "random", "kfold", "temporal", "last-n", "leave-one-out"];

    public Option<string> Method { get; } = new("--split")
    {
        Description = $"Split method: {string.Join(", ", Methods)}.",
        DefaultValueFactory = _ => "per-user",
    };

    public Option<double> TestFraction { get; } = new Option<double>("--test-fraction") { Description = "Share of interactions held out for testing.", DefaultValueFactory = _ => 0.2 }.Share();

    public Option<int> Folds { get; } = new Option<int>("--folds") { Description = "Folds for --split kfold.", DefaultValueFactory = _ => 5 }.AtLeast(2);

    public Option<int> LastN { get; } = new Option<int>("--last-n") { Description = "Interactions per user held out by --split last-n.", DefaultValueFactory = _ => 1 }.AtLeast(1);

    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of every random choice.", DefaultValueFactory = _ => 42 };

    public void AddTo(Command command)
    {
        command.Options.Add(Method);
        command.Options.Add(TestFraction);
        command.Options.Add(Folds);
        command.Options.Add(LastN);
        command.Options.Add(Seed);
        Method.AcceptOnlyFromAmong(Methods);
    }

    public IReadOnlyList<Split> Apply(ParseResult parse, Interactions data)
    {
        var fraction = parse.GetValue(TestFraction);
        var seed = parse.GetValue(Seed);
        return parse.GetValue(Method) switch
        {
            "per-user" => [Splitter.PerUser(data, fraction, seed)],
            "per-item" => [Splitter.PerItem(data, fraction, seed)],
            "random" => [Splitter.Random(data, fraction, seed)],
            "kfold" => Splitter.KFold(data, parse.GetValue(Folds), seed),
            "temporal" => [Splitter.TemporalGlobal(data, fraction)],
            "last-n" => [Splitter.LastPerUser(data, parse.GetValue(LastN))],
            "leave-one-out" => [Splitter.LeaveOneOut(data, seed)],
            var other => throw new ArgumentException($"Unknown split method '{other}'."),
        };
    }
}
