namespace RecKit.Models;

/// <summary>Options of <see cref="EaseTrainer"/> (Steck 2019), with documented defaults.</summary>
public sealed record EaseOptions
{
    /// <summary>L2 penalty λ on the item–item weights. Default 500.</summary>
    public double Regularization { get; init; } = 500;

    /// <summary>
    /// Largest catalogue accepted. EASE holds a dense items × items matrix (4·n² bytes: 1.6 GB at 20,000 items) and
    /// inverts it in O(n³) time (minutes at 20,000 items on two cores); beyond this the trainer refuses with a message
    /// saying what it would need, rather than run out of memory. Default 20,000.
    /// </summary>
    public int MaxItems { get; init; } = 20_000;

    /// <summary>
    /// Weights kept per item: the largest in magnitude of each item's row, the rest dropped (null keeps the dense
    /// matrix). The fit still inverts the dense matrix; what is kept, scored and saved is items × this many weights
    /// instead of items² (a 9,724-item catalogue: 378 MB dense, 39 MB at 500). Default null.
    /// </summary>
    public int? KeepPerItem { get; init; }

    /// <summary>Threads for the Gram matrix and the inversion; null uses every core.</summary>
    public int? Threads { get; init; }

    internal void Validate()
    {
        OptionCheck.Positive("ease option", "regularization", Regularization);
        OptionCheck.AtLeast("ease option", "maxItems", MaxItems, 1);
        OptionCheck.AtLeast("ease option", "threads", Threads, 1);
        OptionCheck.AtLeast("ease option", "keepPerItem", KeepPerItem, 1);
    }
}
