using System.Globalization;

namespace RecKit.Data;

/// <summary>
/// The one definition of relevance: with ratings, an interaction is relevant (a positive, liked) when its value is at
/// or above the rating threshold; with counts or no values, every interaction is. A threshold travels as a nullable
/// number (null: every interaction), and every comparison, choice and description of it is made here.
/// </summary>
public static class Relevance
{
    /// <summary>The threshold for data whose values mean <paramref name="meaning"/>: the rating threshold for ratings, none otherwise.</summary>
    public static float? Threshold(ValueMeaning meaning, float ratingThreshold) => meaning == ValueMeaning.Ratings ? ratingThreshold : null;

    /// <summary>Whether an interaction of this value is relevant under <paramref name="threshold"/>.</summary>
    public static bool IsRelevant(float value, float? threshold) => threshold is not { } t || value >= t;

    /// <summary>"rating ≥ 4" or "any interaction", for logs and reports.</summary>
    public static string Describe(float? threshold) =>
        threshold is { } t ? string.Create(CultureInfo.InvariantCulture, $"rating ≥ {t}") : "any interaction";
}
