namespace RecKit.Serving;

/// <summary>An impression or a click, logged with the variant (and experiment arm) that served the item.</summary>
public sealed record StoredFeedback(string User, string Item, string Kind, string Variant, string Arm, string Bundle, long Timestamp);
