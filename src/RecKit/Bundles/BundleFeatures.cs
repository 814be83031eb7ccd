using RecKit.Data;

namespace RecKit.Bundles;

/// <summary>features.json: how the bundle's models take item and user features, so the service can encode new rows.</summary>
public sealed record BundleFeatures(FeatureSchema? Items, FeatureSchema? Users);
