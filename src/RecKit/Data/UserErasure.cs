using System.Security.Cryptography;
using System.Text;

namespace RecKit.Data;

/// <summary>
/// How an erased user is remembered without keeping their id: a SHA-256 of it. The service records this one value
/// when a user is erased (so that the bundle serving then, and the original data of every retrain, can leave the user
/// out); the id itself is kept nowhere. Ids are guessable, so this is data minimisation, not anonymity.
/// </summary>
public static class UserErasure
{
    public static string Hash(string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("reckit-erased-user:" + user)));
    }
}
