using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace RecKit.Server.Dashboard;

/// <summary>
/// Who may read the dashboard (<see cref="DashboardSettings"/>): a client on loopback, unless the key is required there
/// too; anyone else with the read key, given once on the sign-in page (kept as an HttpOnly, SameSite=Strict cookie that
/// holds a keyed hash of the key, never the key) or as header X-Dashboard-Key. Without a read key the dashboard is closed
/// to every other address: 403. The page never writes either key back.
/// </summary>
internal sealed class DashboardAccess(DashboardSettings settings) : IEndpointFilter
{
    public const string Cookie = "reckit-dashboard";
    public const string Header = "X-Dashboard-Key";

    private readonly byte[]? _token = settings.ReadKey is { } key ? Token(key) : null;

    public bool KeyRequired => _token is not null;

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (Allows(http))
        {
            return next(context);
        }

        if (_token is null)
        {
            return ValueTask.FromResult<object?>(Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "The dashboard is open to this machine only.",
                detail: "set serve.dashboard.readKey to open it to other clients."));
        }

        var back = http.Request.Path + http.Request.QueryString;
        return ValueTask.FromResult<object?>(Results.Redirect($"/dashboard/signin?back={Uri.EscapeDataString(back)}"));
    }

    public bool Allows(HttpContext http)
    {
        if (!settings.KeyOnLoopback && http.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address))
        {
            return true;
        }

        if (_token is null)
        {
            return false;
        }

        if (http.Request.Headers[Header].ToString() is { Length: > 0 } given && Matches(Token(given)))
        {
            return true;
        }

        return http.Request.Cookies[Cookie] is { } cookie && TryHex(cookie) is { } hashed && Matches(hashed);
    }

    /// <summary>Checks a key given on the sign-in page; when right, sets the cookie that stands for it.</summary>
    public bool SignIn(HttpContext http, string? key)
    {
        if (_token is null || key is null || !Matches(Token(key)))
        {
            return false;
        }

        http.Response.Cookies.Append(Cookie, Convert.ToHexString(_token), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/dashboard",
            MaxAge = TimeSpan.FromHours(12),
        });
        return true;
    }

    private bool Matches(byte[] token) => _token is not null && CryptographicOperations.FixedTimeEquals(token, _token);

    private static byte[] Token(string key) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), "reckit-dashboard"u8);

    private static byte[]? TryHex(string text)
    {
        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
