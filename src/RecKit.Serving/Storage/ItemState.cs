namespace RecKit.Serving;

/// <summary>
/// What the catalogue manager decided about an item beyond the bundle: visible (the default), hidden (never
/// recommended or shown as similar or popular, still accepted in ingest: out of stock, say), or deleted (also refused
/// in ingest, and left out of the data of the next retrain).
/// </summary>
public enum ItemState
{
    Visible = 0,
    Hidden = 1,
    Deleted = 2,
}
