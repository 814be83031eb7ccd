using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration.Json;

namespace RecKit.Server;

/// <summary>
/// The service's one configuration, read the same way by <c>reckit serve</c>, <c>reckit retrain</c> and RecKit.Server.dll:
/// the "serve" section of the config file the main job uses, then environment variables (RECKIT__MAXK, RECKIT__APIKEY
/// for secrets), then command-line keys (--RecKit:Experiment:Name=x), the later winning, as ASP.NET Core layers them.
/// Every key is checked before anything starts: an unknown key or a value of the wrong kind is an error naming its
/// path as written in the file (serve.experiment.arms[0].weight) and where a value came from is not guessed.
/// </summary>
public static class ServeConfiguration
{
    /// <summary>
    /// Adds the config file's "serve" section as the "RecKit" section, below environment variables and the command
    /// line (it goes in just before the first unprefixed environment source, or last when there is none).
    /// </summary>
    public static void AddServeSection(IConfigurationBuilder builder, JsonObject serve)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(serve);
        var json = new JsonObject { [ServerSettings.Section] = serve.DeepClone() }.ToJsonString();
        var source = new JsonStreamConfigurationSource { Stream = new MemoryStream(Encoding.UTF8.GetBytes(json)) };
        var at = builder.Sources.ToList().FindIndex(s => s is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource { Prefix: null or "" });
        if (at < 0)
        {
            builder.Sources.Add(source);
        }
        else
        {
            builder.Sources.Insert(at, source);
        }
    }

    /// <summary>The settings as <c>reckit retrain</c> reads them: the file's section, the environment, then <paramref name="args"/>.</summary>
    public static ServerSettings Read(JsonObject? serve, string[] args)
    {
        var builder = new ConfigurationBuilder();
        builder.AddEnvironmentVariables();
        builder.AddCommandLine(args);
        if (serve is not null)
        {
            AddServeSection(builder, serve);
        }

        return Bind(builder.Build());
    }

    /// <summary>Binds section "RecKit" after checking every key in it, then validates the values.</summary>
    public static ServerSettings Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(ServerSettings.Section);

        // The section's members only: a variable named RECKIT alone (a script's "RECKIT=reckit-command") is not a setting.
        CheckMembers(section, typeof(ServerSettings), "serve");

        var settings = section.Get<ServerSettings>() ?? new ServerSettings();
        settings.Validate();
        return settings;
    }

    /// <summary>Every key under <paramref name="section"/> names a settable member of <paramref name="type"/>, and every value parses as it.</summary>
    private static void Check(IConfigurationSection section, Type type, string path)
    {
        if (Scalar(type) is { } scalar)
        {
            if (section.GetChildren().Any())
            {
                throw new ArgumentException($"setting '{path}' is a single value, not a section.");
            }

            if (section.Value is { } text && !Parses(text, scalar))
            {
                throw new ArgumentException($"setting '{path}': '{Shorten(text)}' is not {Describe(scalar)}.");
            }

            return;
        }

        if (Dictionary(type) is { } valueType)
        {
            foreach (var child in section.GetChildren())
            {
                Check(child, valueType, $"{path}.{child.Key}");
            }

            return;
        }

        if (Element(type) is { } elementType)
        {
            foreach (var child in section.GetChildren())
            {
                if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    throw new ArgumentException($"setting '{path}' is a list; '{child.Key}' is not a position in it.");
                }

                Check(child, elementType, $"{path}[{child.Key}]");
            }

            return;
        }

        if (section.Value is { Length: > 0 } stray)
        {
            throw new ArgumentException($"setting '{path}' is a section, not a single value ('{Shorten(stray)}').");
        }

        CheckMembers(section, type, path);
    }

    /// <summary>Every key under <paramref name="section"/> names a settable member of the record <paramref name="type"/>, each checked as its type.</summary>
    private static void CheckMembers(IConfigurationSection section, Type type, string path)
    {
        var members = Members(type);
        foreach (var child in section.GetChildren())
        {
            if (!members.TryGetValue(child.Key, out var member))
            {
                throw new ArgumentException($"setting '{path}.{Shorten(child.Key)}' is unknown; known: {string.Join(", ", members.Values.Select(m => JsonName(m.Name)))}.");
            }

            Check(child, member.PropertyType, $"{path}.{JsonName(member.Name)}");
        }
    }

    private static Dictionary<string, PropertyInfo> Members(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    private static Type? Scalar(Type type)
    {
        var bare = Nullable.GetUnderlyingType(type) ?? type;
        return bare.IsPrimitive || bare == typeof(string) || bare == typeof(decimal) || bare.IsEnum ? bare : null;
    }

    private static Type? Dictionary(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(Dictionary<,>) || d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>))
            ? type.GetGenericArguments()[1]
            : null;

    private static Type? Element(Type type) =>
        type != typeof(string) && type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0] : null;

    private static bool Parses(string text, Type type)
    {
        if (text.Length == 0 || type == typeof(string))
        {
            return true;
        }

        if (type == typeof(bool))
        {
            return bool.TryParse(text, out _);
        }

        if (type.IsEnum)
        {
            return Enum.TryParse(type, text, ignoreCase: true, out _);
        }

        if (type == typeof(int))
        {
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
        }

        if (type == typeof(long))
        {
            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
    }

    private static string Describe(Type type) =>
        type == typeof(bool) ? "true or false"
        : type == typeof(int) || type == typeof(long) ? "a whole number"
        : type.IsEnum ? $"one of {string.Join(", ", Enum.GetNames(type))}"
        : "a number";

    /// <summary>The key as the config file spells it: camelCase, whatever case the environment used.</summary>
    private static string JsonName(string key) => key.Length == 0 ? key : char.ToLowerInvariant(key[0]) + key[1..];

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
