namespace RecKit.Cluster;

/// <summary>
/// What a user grain reads when it is activated (a first request, a silo that died, a new bundle): the user's stored
/// interactions that belong in the scope's live state. Registered on each silo; without one a grain starts empty.
/// </summary>
public interface IUserStateSource
{
    Task<IReadOnlyList<LiveEntry>> LoadAsync(string scope, string user);
}
