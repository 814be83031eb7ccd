namespace RecKit.Models;

/// <summary>How the user–item matrix is weighted before item–item cosine similarity.</summary>
public enum KnnWeighting
{
    /// <summary>Every interaction counts 1.</summary>
    None,

    /// <summary>Each user's column scaled by log(items / the user's items): heavy users weigh less.</summary>
    TfIdf,

    /// <summary>BM25 weighting of each interaction by the user's activity (K1 1.2, B 0.75).</summary>
    Bm25,
}

/// <summary>Options of <see cref="ItemKnnTrainer"/> (design note 3 §4.2), with documented defaults.</summary>
public sealed record ItemKnnOptions
{
    /// <summary>Neighbours kept per item. Default 100.</summary>
    public int Neighbours { get; init; } = 100;

    /// <summary>Shrinkage: similarity × n/(n + Shrink) with n co-rating users; 0 for none. Default 10.</summary>
    public double Shrink { get; init; } = 10;

    public KnnWeighting Weighting { get; init; } = KnnWeighting.None;

    /// <summary>Neighbours of the target item used for a rating prediction. Default 40.</summary>
    public int PredictionNeighbours { get; init; } = 40;

    /// <summary>Threads for the similarity build; null uses every core (the result does not depend on it).</summary>
    public int? Threads { get; init; }

    internal void Validate()
    {
        OptionCheck.AtLeast("itemknn option", "neighbours", Neighbours, 1);
        OptionCheck.NonNegative("itemknn option", "shrink", Shrink);
        OptionCheck.Defined("itemknn option", "weighting", Weighting);
        OptionCheck.AtLeast("itemknn option", "predictionNeighbours", PredictionNeighbours, 1);
        OptionCheck.AtLeast("itemknn option", "threads", Threads, 1);
    }
}
