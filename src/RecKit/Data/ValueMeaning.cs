namespace RecKit.Data;

/// <summary>
/// What the interactions' value means, the one vocabulary for it everywhere (readers, the catalogue, bundles): it
/// decides which values are accepted on load, relevance, the stacks' positive label and what is shown.
/// </summary>
public enum ValueMeaning
{
    /// <summary>Explicit ratings on a scale: relevant = rated at or above the threshold; RMSE is reported.</summary>
    Ratings,

    /// <summary>Play counts, purchases, weights: every interaction is relevant; the counts are confidence for ALS.</summary>
    Counts,

    /// <summary>No value: each interaction is a 1.</summary>
    None,
}
