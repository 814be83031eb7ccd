namespace RecKit.Serving;

/// <summary>
/// How a bundle host makes the live state of a bundle it loads. In this process (the default): a new
/// <see cref="InProcessLiveUserState"/>, which the host replays from the store before the swap. Loading itself (a
/// cluster's user grains): the state fills each user from the store when it first needs them, so the host replays
/// nothing and applies every interaction stored after the bundle (a duplicate counts once there).
/// </summary>
/// <param name="Create">The state for one bundle (a cluster scopes its grains by the bundle's version).</param>
/// <param name="LoadsItself">Whether the state reads the store by itself.</param>
public sealed record LiveStateFactory(Func<ServingBundle, ILiveUserState> Create, bool LoadsItself)
{
    /// <summary>An in-process state per bundle, replayed by the host.</summary>
    public static LiveStateFactory InProcess { get; } = new(_ => new InProcessLiveUserState(), LoadsItself: false);
}
