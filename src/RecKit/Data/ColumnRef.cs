namespace RecKit.Data;

/// <summary>A column chosen by header name or by 0-based position.</summary>
public readonly record struct ColumnRef
{
    private ColumnRef(string? name, int position)
    {
        Name = name;
        Position = position;
    }

    public string? Name { get; }

    public int Position { get; }

    public static ColumnRef ByName(string name) => new(name, -1);

    public static ColumnRef ByPosition(int position) =>
        position >= 0 ? new(null, position) : throw new ArgumentOutOfRangeException(nameof(position), "Column positions start at 0.");

    /// <summary>Parses "3" as a position and anything else as a name.</summary>
    public static ColumnRef Parse(string text) =>
        int.TryParse(text, out var position) ? ByPosition(position) : ByName(text);

    public override string ToString() => Name ?? $"#{Position}";
}
