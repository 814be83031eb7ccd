namespace RecKit.Serving;

/// <summary>
/// Bundle hosting: loads, verifies and smoke-tests bundles and swaps the serving one without dropping a request; a
/// bad bundle is refused and the serving one stays. The live user state is rebuilt on each new bundle from the
/// interaction store (what came after the bundle's IngestedThrough), and ingested interactions are applied to the
/// serving state through <see cref="ApplyAsync"/>, so that none falls between a reload's replay and its swap. One
/// process over a bundle folder today (<see cref="FileBundleHost"/>); a cluster coordinates rollout across silos.
/// Every implementation passes BundleHostContract.
/// </summary>
public interface IBundleHost
{
    /// <summary>The serving bundle and its live state; a request reads it once and uses that snapshot throughout.</summary>
    ServingSnapshot Current { get; }

    /// <summary>Bundles refused since start.</summary>
    long Refused { get; }

    /// <summary>The latest refusals, newest first (at most 20): when, which version, why.</summary>
    IReadOnlyList<BundleRefusal> Refusals { get; }

    /// <summary>
    /// Loads the bundle "current" names if it is not the serving one; one reload at a time. A bundle already refused is
    /// not read again unless <paramref name="recheckRefused"/> (an operator's explicit reload), so polling neither
    /// repeats nor recounts a refusal.
    /// </summary>
    Task<ReloadResult> ReloadAsync(bool recheckRefused = false);

    /// <summary>Applies interactions already committed to the store (with their ids) to the serving live state.</summary>
    Task ApplyAsync(IReadOnlyList<StoredInteraction> interactions, IReadOnlyList<long> ids);

    /// <summary>Erases a user's live state and hides their row in every bundle trained before now (their store rows are erased by the caller first).</summary>
    Task EraseAsync(string user);

    /// <summary>Whether <paramref name="user"/> was erased after <paramref name="bundle"/> was trained: it still holds their row, which must not be used.</summary>
    bool IsErasedFrom(ServingBundle bundle, string user);

    /// <summary>Rebuilds one user's live state from the store (after one of their interactions was deleted).</summary>
    Task RefreshUserAsync(string user);
}

/// <summary>What a reload did: the serving version after it, why a bundle was refused (null: none was), whether it swapped.</summary>
public sealed record ReloadResult(string Version, string? Refused, bool Swapped);

/// <summary>A refused bundle: when, the version "current" named (null when it could not be read), and why.</summary>
public sealed record BundleRefusal(DateTimeOffset At, string? Version, string Reason);
