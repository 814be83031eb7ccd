using System.IO.Hashing;
using System.Text;

namespace RecKit.Serving;

/// <summary>One arm of an experiment: its name, the bundle variant it serves and its share of users.</summary>
public sealed record ExperimentArm(string Name, string Variant, double Weight);

/// <summary>
/// An A/B experiment (design note 3 §9.2): users are split between arms by a stable hash of (salt, user id), so an
/// assignment never changes across requests, restarts or bundle reloads, and a new salt reshuffles everyone.
/// </summary>
public sealed record Experiment
{
    public string Name { get; init; } = "default";

    public string Salt { get; init; } = "";

    public IReadOnlyList<ExperimentArm> Arms { get; init; } = [];

    /// <summary>The arm the others are compared with in the report; null: the first arm.</summary>
    public string? Control { get; init; }

    /// <summary>The control arm: the one <see cref="Control"/> names, else the first.</summary>
    public ExperimentArm ControlArm => Control is null ? Arms[0] : Arms.First(a => a.Name == Control);

    /// <summary>The arm of a user: XxHash64 of "salt:user" (UTF-8) onto [0, 1), then the arms' cumulative shares.</summary>
    public ExperimentArm Assign(string user)
    {
        var hash = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes($"{Salt}:{user}"));
        var point = (hash >> 11) * (1.0 / (1UL << 53)) * Arms.Sum(a => a.Weight);
        foreach (var arm in Arms)
        {
            if (point < arm.Weight)
            {
                return arm;
            }

            point -= arm.Weight;
        }

        return Arms[^1];
    }

    public void Validate()
    {
        if (Arms.Count == 0)
        {
            throw new ArgumentException($"experiment '{Name}': 'arms' is empty; give at least one arm (name, variant, weight).");
        }

        foreach (var arm in Arms)
        {
            if (string.IsNullOrWhiteSpace(arm.Name) || string.IsNullOrWhiteSpace(arm.Variant))
            {
                throw new ArgumentException($"experiment '{Name}': every arm needs a name and a variant.");
            }

            if (!double.IsFinite(arm.Weight) || arm.Weight <= 0)
            {
                throw new ArgumentException($"experiment '{Name}': arm '{arm.Name}' weight must be above 0; it is {arm.Weight}.");
            }
        }

        if (Arms.GroupBy(a => a.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"experiment '{Name}': arm '{twice.Key}' is named twice.");
        }

        if (Control is not null && Arms.All(a => a.Name != Control))
        {
            throw new ArgumentException($"experiment '{Name}': control '{Control}' is not one of its arms ({string.Join(", ", Arms.Select(a => a.Name))}).");
        }
    }
}
