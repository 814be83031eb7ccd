using System.Data.Common;

namespace RecKit.Serving;

/// <summary>
/// The rows both interaction stores read, in one place: the columns each query selects, in order, and how a row of them
/// becomes a <see cref="StoredInteraction"/>, <see cref="StoredFeedback"/> or <see cref="FeatureRow"/> (any ADO.NET reader:
/// SQLite's or Npgsql's); and how a feature row's fields are kept (a JSON object of strings).
/// </summary>
internal static class StoredRows
{
    public const string InteractionColumns = "id, user_id, item_id, type, value, ts";

    public const string FeedbackColumns = "user_id, item_id, kind, variant, arm, bundle, ts, experiment";

    public const string FeatureColumns = "id, title, fields, seq";

    public static StoredInteraction Interaction(DbDataReader reader) =>
        new(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetDouble(4), reader.GetInt64(5)) { Id = reader.GetInt64(0) };

    public static StoredFeedback Feedback(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetInt64(6), reader.GetString(7));

    /// <summary>Every row the reader holds, as feature rows.</summary>
    public static List<FeatureRow> FeatureRows(DbDataReader reader)
    {
        var rows = new List<FeatureRow>();
        while (reader.Read())
        {
            var fields = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string?>>(reader.GetString(2)) ?? [];
            rows.Add(new FeatureRow(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), fields, reader.GetInt64(3)));
        }

        return rows;
    }

    /// <summary>A feature row's fields as the stores keep them.</summary>
    public static string Fields(IReadOnlyDictionary<string, string?> fields) => System.Text.Json.JsonSerializer.Serialize(fields);
}
