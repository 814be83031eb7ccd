using System.Net.Http.Json;
using System.Text.Json;
using RecKit.Tests.Serving.Storage;

namespace RecKit.Tests.Server;

/// <summary>
/// The service on a shared PostgreSQL store (serve.postgres): what one server ingests, another server over the same
/// database answers with from its start; the store's rows outlive both.
/// </summary>
public sealed class PostgresServiceTests
{
    [Fact]
    public async Task WhatOneServerIngests_AnotherServerOnTheSameStore_AnswersWith()
    {
        var database = PostgresServer.Instance.NewDatabase();
        const string user = "pg-visitor";
        string[] before, afterOnA;
        using (var a = new ServerFactory(new() { ["RecKit:Postgres"] = database }))
        {
            using var client = a.CreateClient();
            before = await Items(client, user);
            using var ingest = await client.PostAsJsonAsync("/v1/interactions", new { interactions = new[] { new { user, item = before[0] }, new { user, item = before[1] } } });
            ingest.EnsureSuccessStatusCode();
            afterOnA = await Items(client, user);
            Assert.DoesNotContain(before[0], afterOnA);
            Assert.False(before.SequenceEqual(afterOnA));
        }

        using var b = new ServerFactory(new() { ["RecKit:Postgres"] = database });
        using var other = b.CreateClient();
        Assert.Equal(afterOnA, await Items(other, user)); // replayed from the shared store at start
        Assert.False(File.Exists(Path.Combine(b.Root, "interactions.db"))); // no SQLite file was made beside the bundles
        using var history = JsonDocument.Parse(await other.GetStringAsync($"/v1/users/{user}/interactions"));
        Assert.Equal([before[0], before[1]], history.RootElement.GetProperty("interactions").EnumerateArray().Select(i => i.GetProperty("item").GetString()!));
    }

    private static async Task<string[]> Items(HttpClient client, string user)
    {
        using var answer = JsonDocument.Parse(await client.GetStringAsync($"/v1/users/{user}/recommendations?k=10&variant=als"));
        return [.. answer.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item").GetString()!)];
    }
}
