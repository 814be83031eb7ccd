using System.Globalization;

namespace RecKit;

/// <summary>
/// Range checks for settings, each failing with one sentence that names the setting as the person wrote it
/// (the camelCase key of the config file: "als option 'cgSteps'"), the allowed range and the value given.
/// </summary>
public static class OptionCheck
{
    public static void AtLeast(string owner, string name, int value, int min)
    {
        if (value < min)
        {
            Fail(owner, name, $"must be at least {min}", value);
        }
    }

    public static void AtLeast(string owner, string name, int? value, int min)
    {
        if (value is { } v)
        {
            AtLeast(owner, name, v, min);
        }
    }

    public static void Positive(string owner, string name, double value)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            Fail(owner, name, "must be a finite number above 0", value);
        }
    }

    public static void NonNegative(string owner, string name, double value)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            Fail(owner, name, "must be a finite number of 0 or more", value);
        }
    }

    /// <summary>Within [min, max] (both included).</summary>
    public static void Within(string owner, string name, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
        {
            Fail(owner, name, string.Create(CultureInfo.InvariantCulture, $"must lie in {min}..{max}"), value);
        }
    }

    /// <summary>Strictly between min and max: a share that must leave something on both sides.</summary>
    public static void Between(string owner, string name, double value, double min, double max)
    {
        if (!(value > min && value < max))
        {
            Fail(owner, name, string.Create(CultureInfo.InvariantCulture, $"must lie strictly between {min} and {max}"), value);
        }
    }

    public static void Defined<T>(string owner, string name, T value)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentException($"{owner} '{name}' is {value}; expected one of {string.Join(", ", Enum.GetNames<T>())}.");
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Fail(string owner, string name, string rule, object value) =>
        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{owner} '{name}' {rule}; it is {value}."));
}
