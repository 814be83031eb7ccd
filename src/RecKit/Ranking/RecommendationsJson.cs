using System.Text.Encodings.Web;
using System.Text.Json;
using RecKit.Data;
using RecKit.Persistence;

using RecKit.IO;

namespace RecKit.Ranking;

/// <summary>
/// Writes top-N lists as recommendations.json, streamed and atomic:
/// { "model": ..., "n": N, "recommendations": { "userId": [ { "item", "score", "title"? } ] } }.
/// </summary>
public static class RecommendationsJson
{
    public static void Write(string path, IReadOnlyList<UserRecommendations> lists, IdMap users, IdMap items, string model, int n, Func<int, string?>? title = null)
    {
        AtomicFile.Write(path, stream =>
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            json.WriteStartObject();
            json.WriteString("model", model);
            json.WriteNumber("n", n);
            json.WriteNumber("users", lists.Count);
            json.WriteStartObject("recommendations");
            foreach (var list in lists)
            {
                json.WriteStartArray(users[list.User]);
                for (var j = 0; j < list.Items.Length; j++)
                {
                    json.WriteStartObject();
                    json.WriteString("item", items[list.Items[j]]);
                    json.WriteNumber("score", Math.Round(list.Scores[j], 6));
                    if (title?.Invoke(list.Items[j]) is { } t)
                    {
                        json.WriteString("title", t);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        });
    }
}
