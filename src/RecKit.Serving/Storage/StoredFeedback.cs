namespace RecKit.Serving;

/// <summary>An impression or a click, logged with the variant that served the item and the experiment and arm the user was in ("" when none).</summary>
public sealed record StoredFeedback(string User, string Item, string Kind, string Variant, string Arm, string Bundle, long Timestamp, string Experiment = "");
