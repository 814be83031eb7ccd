namespace RecKit.Bundles;

/// <summary>
/// items.json of a bundle: each item's id, display name and labels (the names of its categorical and multi-valued
/// features, such as genres), in item-index order. Labels drive the genre= filter; titles go into every answer.
/// </summary>
public sealed record BundleItem(string Id, string? Title, IReadOnlyList<string> Labels);
