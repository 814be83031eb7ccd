using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace RecKit.Cli;

/// <summary>
/// Range and combination rules for command-line options, checked by the parser before a command runs: an
/// out-of-range or contradictory argument is an error naming the option, never a silent correction.
/// </summary>
internal static class OptionRules
{
    public static Option<int> AtLeast(this Option<int> option, int min)
    {
        option.Validators.Add(result => Check(result, result.GetValueOrDefault<int>(), min));
        return option;
    }

    public static Option<int?> AtLeast(this Option<int?> option, int min)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is { } value)
            {
                Check(result, value, min);
            }
        });
        return option;
    }

    /// <summary>A share strictly between <paramref name="min"/> and <paramref name="max"/> (or equal to min when <paramref name="minAllowed"/>).</summary>
    public static Option<double> Share(this Option<double> option, double min = 0, double max = 1, bool minAllowed = false)
    {
        option.Validators.Add(result => CheckShare(result, result.GetValueOrDefault<double>(), min, max, minAllowed));
        return option;
    }

    public static Option<double?> Share(this Option<double?> option, double min = 0, double max = 1, bool minAllowed = false)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } value)
            {
                CheckShare(result, value, min, max, minAllowed);
            }
        });
        return option;
    }

    public static Option<double?> Positive(this Option<double?> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } value && !(value > 0 && double.IsFinite(value)))
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{Name(result)} must be a number above 0; it is {value}."));
            }
        });
        return option;
    }

    /// <summary>At most one of the options may be given (they choose the same thing in different ways).</summary>
    public static void AtMostOneOf(this Command command, params Option[] options)
    {
        command.Validators.Add(result =>
        {
            var given = options.Where(o => result.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
            if (given.Count > 1)
            {
                result.AddError($"{string.Join(" and ", given)} cannot be used together: give one of {string.Join(", ", options.Select(o => o.Name))}.");
            }
        });
    }

    private static void Check(OptionResult result, int value, int min)
    {
        if (value < min)
        {
            result.AddError($"{Name(result)} must be at least {min}; it is {value}.");
        }
    }

    private static void CheckShare(OptionResult result, double value, double min, double max, bool minAllowed)
    {
        var ok = (value > min || (minAllowed && value == min)) && value < max;
        if (!ok)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{Name(result)} must be {(minAllowed ? "at least" : "above")} {min} and below {max}; it is {value}."));
        }
    }

    private static string Name(OptionResult result) => result.Option.Name;
}
