namespace RecKit.Data;

/// <summary>What is known about the items besides interactions: titles and genres, aligned to an item <see cref="IdMap"/>.</summary>
public sealed record ItemMetadata(IReadOnlyList<string?> Titles, FeatureMatrix Genres)
{
    /// <summary>Metadata entries that matched no item of the map (items nobody interacted with).</summary>
    public int UnmatchedEntries { get; init; }

    public string? Title(int item) => (uint)item < (uint)Titles.Count ? Titles[item] : null;
}
