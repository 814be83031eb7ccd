namespace RecKit.Data;

/// <summary>The lowest and highest rating a log may hold (1..5, 0.5..5, -10..10).</summary>
public readonly record struct RatingScale(float Min, float Max)
{
    /// <summary>
    /// Ratings with no declared scale must lie within ±this: anything larger is not a rating on any scale people use
    /// (it is a count, a price or a corrupted field), and it would make a rating model diverge.
    /// </summary>
    public const float UndeclaredLimit = 1000f;

    /// <summary>Parses "MIN:MAX" (for example "1:5" or "0.5:5").</summary>
    public static RatingScale Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 2
            || !float.TryParse(parts[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var min)
            || !float.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var max))
        {
            throw new ArgumentException($"rating scale '{text}' is not MIN:MAX (for example 1:5 or 0.5:5).");
        }

        var scale = new RatingScale(min, max);
        scale.Validate();
        return scale;
    }

    public void Validate()
    {
        if (!float.IsFinite(Min) || !float.IsFinite(Max) || Min >= Max)
        {
            throw new ArgumentException($"rating scale {this} is empty or not finite: MIN must be below MAX.");
        }
    }

    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Min:G}..{Max:G}");
}

/// <summary>The accepted range of values on load, resolved once from the reader options.</summary>
internal readonly struct ValueRule
{
    private readonly float _min;
    private readonly float _max;
    private readonly ValueMeaning _kind;
    private readonly bool _declared;

    public ValueRule(ValueMeaning kind, RatingScale? scale)
    {
        _kind = kind;
        _declared = scale is not null;
        (_min, _max) = kind switch
        {
            ValueMeaning.Counts or ValueMeaning.None => (0f, float.MaxValue),
            _ => scale is { } s ? (s.Min, s.Max) : (-RatingScale.UndeclaredLimit, RatingScale.UndeclaredLimit),
        };
    }

    /// <summary>Null when the value is acceptable; otherwise what is wrong with it, for the file:line:field message.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public string? Check(float value) => value >= _min && value <= _max ? null : Problem(value);

    private string Problem(float value)
    {
        var shown = value.ToString("G", System.Globalization.CultureInfo.InvariantCulture);
        return _kind switch
        {
            ValueMeaning.Counts or ValueMeaning.None => $"a count or weight must be a finite number of zero or more, found {shown}.",
            _ when _declared => $"rating {shown} is outside the declared rating scale {_min:G}..{_max:G}.",
            _ => $"{shown} is not a plausible rating (with no rating scale declared, ratings must lie within ±{RatingScale.UndeclaredLimit:G}): declare the rating scale (ratingScale MIN:MAX), or read the values as counts (values Counts).",
        };
    }
}
