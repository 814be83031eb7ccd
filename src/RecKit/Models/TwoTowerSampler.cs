using RecKit.Data;

namespace RecKit.Models;

/// <summary>
/// The random choices of a two-tower training step: the order of the positives, whether a step uses item IDs (ID
/// dropout), and the negatives (uniform, or by popularity for the steps without IDs when the options say so).
/// </summary>
internal sealed class TwoTowerSampler(Interactions train, TwoTowerOptions options, Random random)
{
    private readonly CsrMatrix _seen = train.ByUser;
    private readonly int[] _users = train.Users.ToArray();
    private readonly int[] _items = train.Items.ToArray();
    private readonly int _itemCount = train.ItemCount;

    // (user, item) pairs of the training data: a softmax step asks of every shared negative whether it is one of the
    // user's items, and a hash lookup is several times cheaper there than a binary search of the user's row.
    private readonly HashSet<long> _pairs = options.Loss == TwoTowerLoss.SampledSoftmax && options.RejectPositives ? Pairs(train) : [];

    /// <summary>Indices of the training interactions, shuffled in place each epoch.</summary>
    public int[] Positives { get; } = Enumerable.Range(0, train.Count).ToArray();

    public (int User, int Item) Pair(int interaction) => (_users[interaction], _items[interaction]);

    /// <summary>Whether the next step (or batch) embeds items with their IDs.</summary>
    public bool NextItemIds() => options.UseIds && (options.ItemIdDropout == 0 || random.NextDouble() >= options.ItemIdDropout);

    /// <summary>A negative for one user: drawn again (up to 10 times) while it is one of the user's items, if the options say so.</summary>
    public int NegativeFor(int user, bool itemIds)
    {
        var j = Negative(itemIds);
        for (var tries = 0; options.RejectPositives && tries < 10 && _seen.Contains(user, j); tries++)
        {
            j = Negative(itemIds);
        }

        return j;
    }

    /// <summary>A uniform item, or (steps without IDs, popularity negatives) the item of a uniformly drawn interaction.</summary>
    public int Negative(bool itemIds) =>
        !itemIds && options.FeatureStepNegatives == NegativeSampling.Popularity ? _items[random.Next(_items.Length)] : random.Next(_itemCount);

    /// <summary>A shared negative left out of one positive's softmax: the positive itself, or another item of the user.</summary>
    public bool Excluded(int user, int positive, int negative) =>
        negative == positive || (options.RejectPositives && _pairs.Contains(((long)user * _itemCount) + negative));

    private static HashSet<long> Pairs(Interactions train)
    {
        var pairs = new HashSet<long>(train.Count);
        for (var p = 0; p < train.Count; p++)
        {
            pairs.Add(((long)train.Users[p] * train.ItemCount) + train.Items[p]);
        }

        return pairs;
    }
}
