namespace RecKit.Serving;

/// <summary>
/// The service's durable log of interactions, impressions and clicks. An append completes only once its rows are
/// durable (committed); concurrent appends may share one commit. Interaction ids are positive, ascend in append order
/// and are never reused, not even after <see cref="EraseUserAsync"/>: the service reads "everything after the bundle"
/// by id. SQLite (<see cref="SqliteInteractionStore"/>) is the zero-set-up default for one node; a shared store
/// (PostgreSQL) serves a cluster. Every implementation passes the same contract tests (InteractionStoreContract).
/// </summary>
public interface IInteractionStore : IAsyncDisposable
{
    /// <summary>Where the rows live, for logs and errors (a file path, a server and database).</summary>
    string Location { get; }

    /// <summary>Appends interactions; completes with their ids, in the given order, once they are durable.</summary>
    Task<long[]> AppendAsync(IReadOnlyList<StoredInteraction> interactions);

    /// <summary>Appends impressions or clicks; completes once they are durable.</summary>
    Task AppendFeedbackAsync(IReadOnlyList<StoredFeedback> feedback);

    /// <summary>Interactions with an id above <paramref name="afterId"/>, in id order.</summary>
    IEnumerable<StoredInteraction> ReadSince(long afterId);

    /// <summary>One user's interactions, in id order.</summary>
    IEnumerable<StoredInteraction> ReadUser(string user);

    /// <summary>Every impression and click, in order.</summary>
    IEnumerable<StoredFeedback> ReadFeedback();

    /// <summary>The highest interaction id ever given (0 when none): erased rows still count.</summary>
    long LastInteractionId();

    /// <summary>
    /// Deletes every interaction, impression and click of the user durably and records the erasure as a hash of the id
    /// with the erasure's number (<see cref="ErasedUsers"/>); completes with the interactions removed.
    /// </summary>
    Task<int> EraseUserAsync(string user);

    /// <summary>Records an item's state durably (<see cref="ItemState.Visible"/> forgets any earlier one).</summary>
    Task SetItemStateAsync(string item, ItemState state);

    /// <summary>Every item that is not visible, with its state.</summary>
    IReadOnlyDictionary<string, ItemState> ItemStates();

    /// <summary>
    /// Stores an item's or a user's features durably, replacing any earlier row of that id (which keeps its sequence);
    /// completes with the row's sequence. Erasing a user removes their row.
    /// </summary>
    Task<long> PutFeaturesAsync(FeatureOwner owner, string id, string? title, IReadOnlyDictionary<string, string?> fields);

    /// <summary>Every stored features row of the owner kind, in sequence order.</summary>
    IReadOnlyList<FeatureRow> ReadFeatures(FeatureOwner owner);

    /// <summary>Deletes the stored features row of that id durably; completes with whether there was one.</summary>
    Task<bool> DeleteFeaturesAsync(FeatureOwner owner, string id);

    /// <summary>Deletes one interaction durably; completes with it, or null when no row has that id. Its id is never given again.</summary>
    Task<StoredInteraction?> DeleteInteractionAsync(long id);

    /// <summary>
    /// Every erased user as <see cref="RecKit.Data.UserErasure.Hash"/> of their id, with the number of their latest
    /// erasure (1, 2, ... in the order erasures happened): a bundle whose ErasuresThrough is below it still holds them.
    /// </summary>
    IReadOnlyDictionary<string, long> ErasedUsers();
}
