namespace RecKit.Models;

/// <summary>
/// A fitted model that scores items for a user. Users and items are dense indices of the training
/// interactions' id maps. Higher scores rank first; NaN means "cannot score this item" and ranks nowhere.
/// Every user index in 0..UserCount-1 can be scored: a user the model knows nothing about gets the model's
/// non-personalised fallback, and <see cref="IsKnownUser"/> says which case applies (cold start is a normal case).
/// </summary>
public interface IRecommender
{
    int UserCount { get; }

    int ItemCount { get; }

    /// <summary>True when training gave this model something specific to the user.</summary>
    bool IsKnownUser(int user);

    /// <summary>Writes a score for every item of the catalogue into <paramref name="scores"/> (length ItemCount).</summary>
    void ScoreAll(int user, Span<float> scores);

    /// <summary>Writes a score for each of <paramref name="items"/> into <paramref name="scores"/>, in order.</summary>
    void Score(int user, ReadOnlySpan<int> items, Span<float> scores);
}
