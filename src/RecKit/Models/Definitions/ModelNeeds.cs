namespace RecKit.Models;

/// <summary>What a model reads besides the interactions; the main job offers a model only when its catalogue has these.</summary>
[Flags]
public enum ModelNeeds
{
    /// <summary>The interactions alone.</summary>
    Interactions = 0,

    /// <summary>An item feature matrix (genres, artist, moods...).</summary>
    ItemFeatures = 1,

    /// <summary>A tag matrix (MovieLens tags.csv as term counts).</summary>
    Tags = 2,

    /// <summary>User features; optional for the two-tower, which uses whatever features there are.</summary>
    UserFeatures = 4,

    /// <summary>When each interaction happened (a timestamp column).</summary>
    Timestamps = 8,
}
