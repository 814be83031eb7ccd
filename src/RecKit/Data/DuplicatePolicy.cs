namespace RecKit.Data;

/// <summary>What to do when the same (user, item) pair appears more than once in the input.</summary>
public enum DuplicatePolicy
{
    /// <summary>Keep the pair's last occurrence in file order (the newest rating wins). The default.</summary>
    KeepLast,

    /// <summary>Keep the pair's first occurrence in file order.</summary>
    KeepFirst,

    /// <summary>Sum the values (play counts, clicks); the timestamp becomes the latest one.</summary>
    SumWeights,
}
