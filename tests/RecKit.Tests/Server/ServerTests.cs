using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RecKit.Serving;

using RecKit.Bundles;

namespace RecKit.Tests.Server;

/// <summary>Each endpoint of the real server over a bundle trained on ml-latest-small and a real SQLite file.</summary>
public sealed class ServerTests : IDisposable
{
    private readonly ServerFactory _factory = new();
    private readonly HttpClient _client;

    public ServerTests() => _client = _factory.CreateClient();

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [Fact]
    public async Task Recommendations_ForAKnownUser_ComeFromTheDefaultVariant_WithTitles_AndNoSeenItem()
    {
        using var answer = await Get("/v1/users/1/recommendations?k=5");
        var root = answer.RootElement;
        Assert.Equal("v0001", root.GetProperty("bundle").GetString());
        Assert.Equal(LatestSmallBundle.Content.DefaultVariant, root.GetProperty("variant").GetString());
        Assert.False(root.GetProperty("cold").GetBoolean());
        var items = root.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(5, items.Count);
        Assert.All(items, i => Assert.False(string.IsNullOrEmpty(i.GetProperty("title").GetString())));
        var seen = SeenBy("1");
        Assert.DoesNotContain(items, i => seen.Contains(i.GetProperty("item").GetString()!));
    }

    [Fact]
    public async Task Explain_AddsTheStacksFeatureValues_AndGenreFilters()
    {
        using var answer = await Get("/v1/users/1/recommendations?k=3&variant=LogisticStack&explain=true");
        var first = answer.RootElement.GetProperty("items")[0];
        Assert.True(first.GetProperty("features").TryGetProperty("score_als", out _));
        using var horror = await Get("/v1/users/1/recommendations?k=5&genre=horror");
        Assert.All(horror.RootElement.GetProperty("items").EnumerateArray(), i => Assert.Contains("Horror", i.GetProperty("labels").EnumerateArray().Select(l => l.GetString())));
    }

    [Fact]
    public async Task Explain_OnABaseModelVariant_NamesTheUsersOwnItemsBehindEachOne()
    {
        var service = _factory.Services.GetRequiredService<RecommendationService>();
        var bundle = service.Current.Bundle;
        var history = (await service.Current.Live.UserAsync("1", bundle.Users.TryGetIndex("1", out var u) ? u : -1, bundle.History)).History.Select(i => bundle.Items[i]).ToHashSet();
        foreach (var variant in new[] { "als", "itemknn" })
        {
            using var answer = await Get($"/v1/users/1/recommendations?k=10&variant={variant}&explain=true");
            var items = answer.RootElement.GetProperty("items").EnumerateArray().ToList();
            Assert.False(items[0].TryGetProperty("features", out _)); // no stack features for a base model
            var explained = items.Where(i => i.TryGetProperty("because", out var b) && b.GetArrayLength() > 0).ToList();
            Assert.True(explained.Count >= 8, $"{variant}: only {explained.Count} of 10 items name an item of the user's history");
            Assert.All(explained.SelectMany(i => i.GetProperty("because").EnumerateArray()), b => Assert.Contains(b.GetString()!, history));
        }

        using var plain = await Get("/v1/users/1/recommendations?k=3&variant=als");
        Assert.False(plain.RootElement.GetProperty("items")[0].TryGetProperty("because", out _)); // only when asked
    }

    [Fact]
    public async Task UnknownUser_GetsTheColdStartAnswer_Flagged()
    {
        using var answer = await Get("/v1/users/someone-new/recommendations?k=4");
        Assert.True(answer.RootElement.GetProperty("cold").GetBoolean());
        Assert.Equal(4, answer.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Visitor_History_IsFoldedIn_AndExcluded()
    {
        using var response = await _client.PostAsJsonAsync("/v1/recommendations", new { history = new[] { "1", "2", "3" }, k = 5, variant = "als" });
        response.EnsureSuccessStatusCode();
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var items = answer.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item").GetString()).ToList();
        Assert.Equal(5, items.Count);
        Assert.DoesNotContain("1", items);
        Assert.False(answer.RootElement.GetProperty("cold").GetBoolean());
    }

    [Fact]
    public async Task SimilarAndPopularItems()
    {
        using var similar = await Get("/v1/items/1/similar?k=3");
        Assert.Equal(3, similar.RootElement.GetProperty("items").GetArrayLength());
        Assert.DoesNotContain(similar.RootElement.GetProperty("items").EnumerateArray(), i => i.GetProperty("item").GetString() == "1");
        using var popular = await Get("/v1/items/popular?k=3");
        Assert.Equal("356", popular.RootElement.GetProperty("items")[0].GetProperty("item").GetString()); // Forrest Gump, 329 ratings
        using var comedies = await Get("/v1/items/popular?k=3&genre=Comedy");
        Assert.All(comedies.RootElement.GetProperty("items").EnumerateArray(), i => Assert.Contains("Comedy", i.GetProperty("labels").EnumerateArray().Select(l => l.GetString())));
    }

    [Fact]
    public async Task Ingest_ChangesTheNextAnswer_AtOnce_ForEveryVariant_AndNewUsersBecomeKnown()
    {
        foreach (var variant in new[] { "als", "itemknn", "LogisticStack" })
        {
            using var before = await Get($"/v1/users/5/recommendations?k=5&variant={variant}");
            var top = before.RootElement.GetProperty("items")[0].GetProperty("item").GetString()!;
            var second = before.RootElement.GetProperty("items")[1].GetProperty("item").GetString()!;
            using var like = await _client.PostAsJsonAsync("/v1/interactions", new { user = "5", item = top, type = "like" });
            Assert.Equal(HttpStatusCode.OK, like.StatusCode);
            using var dislike = await _client.PostAsJsonAsync("/v1/interactions", new { interactions = new[] { new { user = "5", item = second, type = "dislike" } } });
            Assert.Equal(HttpStatusCode.OK, dislike.StatusCode);
            using var after = await Get($"/v1/users/5/recommendations?k=5&variant={variant}");
            var items = after.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item").GetString()).ToList();
            Assert.DoesNotContain(top, items);
            Assert.DoesNotContain(second, items);
        }

        // A user the bundle never saw: cold before, personalised (not cold) after two interactions.
        using var cold = await Get("/v1/users/newcomer/recommendations?k=5&variant=als");
        Assert.True(cold.RootElement.GetProperty("cold").GetBoolean());
        using var ingest = await _client.PostAsJsonAsync("/v1/interactions", new { interactions = new[] { new { user = "newcomer", item = "1", type = "view" }, new { user = "newcomer", item = "2", type = "purchase" } } });
        Assert.Equal(HttpStatusCode.OK, ingest.StatusCode);
        using var warm = await Get("/v1/users/newcomer/recommendations?k=5&variant=als");
        Assert.False(warm.RootElement.GetProperty("cold").GetBoolean());
        Assert.DoesNotContain(warm.RootElement.GetProperty("items").EnumerateArray(), i => i.GetProperty("item").GetString() is "1" or "2");

        // An id with a slash is served as ingested (routing leaves %2F encoded; the id is decoded from the raw path).
        using var slash = await _client.PostAsJsonAsync("/v1/interactions", new { interactions = new[] { new { user = "team/42", item = "1", type = "like" }, new { user = "team/42", item = "2", type = "like" } } });
        Assert.Equal(HttpStatusCode.OK, slash.StatusCode);
        using var team = await Get("/v1/users/team%2F42/recommendations?k=5&variant=als");
        Assert.Equal("team/42", team.RootElement.GetProperty("user").GetString());
        Assert.False(team.RootElement.GetProperty("cold").GetBoolean());
        using var percent = await Get("/v1/users/a%2541/recommendations?k=2");
        Assert.Equal("a%41", percent.RootElement.GetProperty("user").GetString()); // decoded once, not twice

        // Durable: the rows are in the SQLite file.
        await using var store = SqliteInteractionStore.Open(Path.Combine(_factory.Root, "interactions.db"));
        var stored = store.ReadSince(0).ToList();
        Assert.Contains(stored, x => x.User == "newcomer" && x.Item == "2" && x.Type == "purchase");
    }

    [Fact]
    public async Task HealthMetricsAndOpenApi()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/health/live")).StatusCode);
        using var ready = await Get("/health/ready");
        Assert.Equal("v0001", ready.RootElement.GetProperty("bundle").GetString());
        (await Get("/v1/users/1/recommendations?k=2")).Dispose();
        var metrics = await _client.GetStringAsync("/metrics");
        Assert.Matches("(?m)^reckit_bundle_info\\{[^}]*version=\"v0001\"\\} 1$", metrics);
        Assert.Matches("(?m)^reckit_request_duration_seconds_bucket\\{[^}]*endpoint=\"/v1/users/\\{id\\}/recommendations\"[^}]*le=\"0.0001\"", metrics);
        Assert.Matches("(?m)^reckit_recommendations_total\\{[^}]*variant=\"[^\"]+\"[^}]*\\} 1$", metrics);
        using var openApi = await Get("/openapi/v1.json");
        Assert.True(openApi.RootElement.GetProperty("paths").TryGetProperty("/v1/interactions", out _));
        var reference = await _client.GetAsync("/scalar/");
        Assert.True(reference.IsSuccessStatusCode, $"/scalar/ answered {reference.StatusCode}");
    }

    [Theory]
    [InlineData("GET", "/v1/users/1/recommendations?k=0", null, "k")]
    [InlineData("GET", "/v1/users/1/recommendations?k=101", null, "k")]
    [InlineData("GET", "/v1/users/1/recommendations?k=ten", null, "k")]
    [InlineData("GET", "/v1/users/1/recommendations?variant=nope", null, "variant")]
    [InlineData("GET", "/v1/users/1/recommendations?genre=Polka", null, "genre")]
    [InlineData("GET", "/v1/users/1/recommendations?explain=maybe", null, "explain")]
    [InlineData("GET", "/v1/items/no-such-item/similar", null, "id")]
    [InlineData("GET", "/v1/items/popular?k=-1", null, "k")]
    [InlineData("POST", "/v1/recommendations", """{"history": ["1", "nope"]}""", "history[1]")]
    [InlineData("POST", "/v1/recommendations", """{"history": "1"}""", "history")]
    [InlineData("POST", "/v1/recommendations", """{"history": ["1"], "k": "5"}""", "k")]
    [InlineData("POST", "/v1/recommendations", """{"history": ["1"], "colour": 1}""", "colour")]
    [InlineData("POST", "/v1/recommendations", """{"history": [""" , "history[0]")] // where the parser stopped
    [InlineData("POST", "/v1/recommendations", "null", "body")]
    [InlineData("POST", "/v1/interactions", """{"user": "1", "item": "nope"}""", "item")]
    [InlineData("POST", "/v1/interactions", """{"user": "1"}""", "item")]
    [InlineData("POST", "/v1/interactions", """{"user": "1", "item": "1", "value": "x"}""", "value")]
    [InlineData("POST", "/v1/interactions", """{"user": "1", "item": "1", "value": -2}""", "value")]
    [InlineData("POST", "/v1/interactions", """{"user": "1", "item": "1", "type": "teleport"}""", "type")]
    [InlineData("POST", "/v1/interactions", """{"user": "1", "item": "1", "timestamp": "today"}""", "timestamp")]
    [InlineData("POST", "/v1/interactions", """{"user": "1", "item": "1", "timestamp": 1700000000}""", "timestamp")]
    [InlineData("POST", "/v1/interactions", """{"user": "1", "item": "1", "timestamp": 32503680000000}""", "timestamp")]
    [InlineData("POST", "/v1/interactions", """{"user": "1", "item": "1", "timestamp": 9223372036854775807}""", "timestamp")]
    [InlineData("POST", "/v1/interactions", """{"interactions": [{"user": "1", "item": "1"}, {"user": "1", "item": "1", "timestamp": 1}]}""", "interactions[1].timestamp")]
    [InlineData("POST", "/v1/interactions", """{"user": "1", "item": "1", "extra": true}""", "extra")]
    [InlineData("POST", "/v1/interactions", """{"interactions": [{"user": "1", "item": "1"}, {"user": "", "item": "1"}]}""", "interactions[1].user")]
    [InlineData("POST", "/v1/interactions", """{"interactions": {}}""", "interactions")]
    [InlineData("POST", "/v1/interactions", """{"interactions": []}""", "interactions")]
    [InlineData("POST", "/v1/interactions", "[1, 2]", "body")]
    [InlineData("POST", "/v1/interactions", "{", "body")]
    [InlineData("POST", "/v1/feedback/clicks", """{"user": "1", "items": ["nope"]}""", "items[0]")]
    [InlineData("POST", "/v1/feedback/impressions", """{"items": ["1"]}""", "user")]
    [InlineData("POST", "/v1/interactions", """{"user": "1", "user": "2", "item": "1"}""", "body")] // duplicate keys: not "the last wins"
    [InlineData("POST", "/v1/recommendations", """{"history": ["1"], "history": ["2"]}""", "history")]
    [InlineData("POST", "/v1/interactions", """{"user": 1.0, "item": "1"}""", "user")] // 1.0 would be a user distinct from "1"
    [InlineData("POST", "/v1/interactions", """{"user": 1e400, "item": "1"}""", "user")]
    [InlineData("POST", "/v1/interactions", """{"user": "   ", "item": "1"}""", "user")]
    [InlineData("POST", "/v1/interactions", """{"user": "a\tb", "item": "1"}""", "user")]
    public async Task BadRequests_Are400Problems_NamingTheField(string method, string path, string? body, string field)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {path} {body}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"{method} {path} {body}: expected field '{field}' in {text}");
        Assert.DoesNotMatch(@"RecKit\.|System\.|`1|\.NET", text); // no internal type names
    }

    [Fact]
    public async Task Errors_NameNoInternalType_EchoNoMoreThanAFewWords_AndANumberIdIsItsPlainText()
    {
        using var unknown = await Post("/v1/recommendations", """{"histroy": ["1"]}""");
        var text = await unknown.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("unknown field; accepted: history, k, variant", text, StringComparison.Ordinal);
        Assert.DoesNotContain("RecKit.", text, StringComparison.Ordinal);

        var huge = new string('x', 100_000);
        using var echoed = await Post("/v1/interactions", $$"""{"user": "1", "item": "1", "type": "{{huge}}"}""");
        Assert.Equal(HttpStatusCode.BadRequest, echoed.StatusCode);
        Assert.True((await echoed.Content.ReadAsStringAsync()).Length < 2_000);
        using var hugeField = await Post("/v1/interactions", $$"""{"user": "1", "item": "1", "{{huge}}": 1}""");
        Assert.True((await hugeField.Content.ReadAsStringAsync()).Length < 2_000);

        // 42 as a number is the user "42": both spellings reach one user.
        using var number = await Post("/v1/interactions", """{"user": 424242, "item": "1"}""");
        Assert.Equal(HttpStatusCode.OK, number.StatusCode);
        using var history = await Get("/v1/users/424242/recommendations?k=1");
        Assert.False(history.RootElement.GetProperty("cold").GetBoolean());
    }

    [Theory]
    [InlineData("application/jsonp")]
    [InlineData("application/json; charset=latin1")]
    [InlineData("application/json-seq")]
    [InlineData("text/json")]
    public async Task BodiesThatAreNotUtf8Json_Are415(string contentType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"user": "1", "item": "1"}"""));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await _client.PostAsync("/v1/interactions", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ALongTargetOrHugeHeaders_AreProblemDocuments_NotEmptyBodies()
    {
        using var longTarget = await _client.GetAsync("/v1/users/" + new string('u', 10_000) + "/recommendations");
        Assert.Equal(HttpStatusCode.RequestUriTooLong, longTarget.StatusCode);
        Assert.Equal("application/problem+json", longTarget.Content.Headers.ContentType?.MediaType);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/users/1/recommendations");
        request.Headers.Add("X-Padding", new string('p', 40_000));
        using var bigHeaders = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, bigHeaders.StatusCode);
        Assert.Equal("application/problem+json", bigHeaders.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task WhenIngestNeedsTheKey_WritesWithoutItAre401_AndWithItAreStored()
    {
        using var factory = new ServerFactory(new Dictionary<string, string?> { ["RecKit:RequireKeyForIngest"] = "true" });
        using var client = factory.CreateClient();
        foreach (var (path, body) in new[] { ("/v1/interactions", """{"user": "1", "item": "1"}"""), ("/v1/feedback/impressions", """{"user": "1", "items": ["1"]}"""), ("/v1/feedback/clicks", """{"user": "1", "items": ["1"]}""") })
        {
            using var without = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
            using var with = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json"), Headers = { { "X-Api-Key", ServerFactory.ApiKey } } };
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(with)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/users/1/recommendations?k=1")).StatusCode); // reading stays open
    }

    [Fact]
    public async Task ACommitThatFails_Is503_AndNothingOfTheRequestIsApplied()
    {
        _ = await Get("/health/ready");
        var store = (SqliteInteractionStore)_factory.Services.GetRequiredService<RecommendationService>().Store;
        store.BeforeCommit = () => throw new IOException("injected: the disk is full");
        using var failed = await Post("/v1/interactions", """{"user": "commit-fails", "item": "1"}""");
        var text = await failed.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(_factory.Root, text, StringComparison.Ordinal);
        store.BeforeCommit = null;
        using var after = await Get("/v1/users/commit-fails/recommendations?k=1");
        Assert.True(after.RootElement.GetProperty("cold").GetBoolean()); // not applied: the user is still unknown
        Assert.Empty(store.ReadUser("commit-fails"));
    }

    [Fact]
    public async Task AUsersInteractions_ArePaged_AndOneCanBeDeleted_WithTheKey()
    {
        var body = "{\"interactions\": [" + string.Join(",", new[] { "1", "2", "3", "5", "6" }.Select(i => $$"""{"user": "pager", "item": "{{i}}", "type": "like"}""")) + "]}";
        (await Post("/v1/interactions", body)).EnsureSuccessStatusCode();
        using var first = await Get("/v1/users/pager/interactions?limit=3");
        var page = first.RootElement.GetProperty("interactions").EnumerateArray().ToList();
        Assert.Equal(["1", "2", "3"], page.Select(x => x.GetProperty("item").GetString()));
        var next = first.RootElement.GetProperty("next").GetInt64();
        using var second = await Get($"/v1/users/pager/interactions?limit=3&after={next}");
        Assert.Equal(["5", "6"], second.RootElement.GetProperty("interactions").EnumerateArray().Select(x => x.GetProperty("item").GetString()));
        Assert.False(second.RootElement.TryGetProperty("next", out _)); // the last page

        var id = page[1].GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.DeleteAsync($"/v1/users/pager/interactions/{id}")).StatusCode);
        using (var deleted = await Admin($"/v1/users/pager/interactions/{id}", HttpMethod.Delete))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        using (var again = await Admin($"/v1/users/pager/interactions/{id}", HttpMethod.Delete))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
            Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        }

        var service = _factory.Services.GetRequiredService<RecommendationService>();
        var bundle = service.Current.Bundle;
        var live = await service.Current.Live.UserAsync("pager", -1, bundle.History);
        Assert.DoesNotContain(bundle.Items.TryGetIndex("2", out var two) ? two : -1, live.Excluded); // item 2 may be recommended again
        Assert.Equal(4, live.History.Length);
    }

    [Fact]
    public async Task AnErasedUser_LeavesNoRowInTheStore_AndIsColdOnTheNextRequest()
    {
        using (var warm = await Get("/v1/users/1/recommendations?k=3"))
        {
            Assert.False(warm.RootElement.GetProperty("cold").GetBoolean());
        }

        (await Post("/v1/interactions", """{"user": "1", "item": "1", "type": "dislike"}""")).EnsureSuccessStatusCode();
        (await Post("/v1/feedback/impressions", """{"user": "1", "items": ["2"]}""")).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.DeleteAsync("/v1/users/1")).StatusCode);
        using (var erased = await Admin("/v1/users/1", HttpMethod.Delete))
        {
            Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
            using var answer = JsonDocument.Parse(await erased.Content.ReadAsStringAsync());
            Assert.Equal(1, answer.RootElement.GetProperty("interactionsRemoved").GetInt32());
        }

        using (var cold = await Get("/v1/users/1/recommendations?k=3"))
        {
            Assert.True(cold.RootElement.GetProperty("cold").GetBoolean());
        }

        var store = _factory.Services.GetRequiredService<RecommendationService>().Store;
        Assert.Empty(store.ReadUser("1"));
        Assert.DoesNotContain(store.ReadFeedback(), f => f.User == "1");
        Assert.Contains(RecKit.Data.UserErasure.Hash("1"), store.ErasedUsers().Keys);
    }

    [Fact]
    public async Task AHiddenItem_LeavesEveryAnswer_ADeletedOneIsRefusedInIngest_AndBothCanBeShownAgain()
    {
        using var before = await Get("/v1/users/1/recommendations?k=5");
        var top = before.RootElement.GetProperty("items")[0].GetProperty("item").GetString()!;
        using var popular = await Get("/v1/items/popular?k=1");
        var mostPopular = popular.RootElement.GetProperty("items")[0].GetProperty("item").GetString()!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.PutAsync($"/v1/items/{top}/hidden", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin($"/v1/items/{top}/hidden", HttpMethod.Put)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin($"/v1/items/{mostPopular}", HttpMethod.Delete)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin("/v1/items/no-such-item/hidden", HttpMethod.Put)).StatusCode);

        foreach (var path in new[] { "/v1/users/1/recommendations?k=20", "/v1/users/1/recommendations?k=20&variant=als", "/v1/users/new-one/recommendations?k=20", "/v1/items/popular?k=20", "/v1/items/260/similar?k=20" })
        {
            using var answer = await Get(path);
            var items = answer.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item").GetString()).ToList();
            Assert.Equal(20, items.Count);
            Assert.DoesNotContain(top, items);
            Assert.DoesNotContain(mostPopular, items);
        }

        using (var visitor = await Post("/v1/recommendations", """{"history": ["1", "260"], "k": 20}"""))
        {
            Assert.DoesNotContain(mostPopular, (await visitor.Content.ReadAsStringAsync()).Split('"'));
        }

        Assert.Equal(HttpStatusCode.OK, (await Post("/v1/interactions", $$"""{"user": "1", "item": "{{top}}"}""")).StatusCode); // hidden: still accepted
        using (var refused = await Post("/v1/interactions", $$"""{"user": "2", "item": "{{mostPopular}}"}"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("deleted", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await Admin($"/v1/items/{mostPopular}/hidden", HttpMethod.Delete)).StatusCode); // shown again
        using (var again = await Get("/v1/items/popular?k=1"))
        {
            Assert.Equal(mostPopular, again.RootElement.GetProperty("items")[0].GetProperty("item").GetString());
        }

        var store = _factory.Services.GetRequiredService<RecommendationService>().Store;
        Assert.Equal(ItemState.Hidden, Assert.Single(store.ItemStates()).Value); // durable: a restart keeps it
    }

    [Fact]
    public async Task PutItem_AddsAnItemRankedAtOnce_ByTheGenreVariantAndAsAStackCandidate_ThenHiddenAndDeleted()
    {
        // A movie whose genre combination no other movie has: a new item with those genres has cosine 1 with a fan of it.
        var content = LatestSmallBundle.Content;
        var combos = content.Labels!.Select((l, i) => (Key: string.Join("|", l.Order()), Item: i, l.Count)).ToList();
        var unique = combos.Where(c => c.Count >= 3).GroupBy(c => c.Key).First(g => g.Count() == 1).Single();
        var genres = content.Labels![unique.Item];
        var body = JsonSerializer.Serialize(new { title = "A film added while serving", features = new { genres } });

        using (var refused = await _client.PutAsync("/v1/items/film-new", new StringContent(body, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await Post("/v1/interactions", """{"user": "fan", "item": "film-new"}""")).StatusCode); // not yet in the catalogue
        using (var put = await Send(HttpMethod.Put, "/v1/items/film-new", body))
        {
            var answer = JsonDocument.Parse(await put.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.False(answer.GetProperty("inBundle").GetBoolean());
            Assert.Equal(["BlendStack", "GBStack", "LambdaMARTStack", "LogisticStack", "XeNdcgStack", "genre"], answer.GetProperty("recommendableBy").EnumerateArray().Select(v => v.GetString()!).Order(StringComparer.Ordinal));
        }

        using (var described = await Get("/v1/items/film-new"))
        {
            Assert.Equal("A film added while serving", described.RootElement.GetProperty("title").GetString());
            Assert.Equal(genres.Order(), described.RootElement.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!).Order());
        }

        Assert.Equal(HttpStatusCode.OK, (await Post("/v1/interactions", $$"""{"user": "fan", "item": "{{content.Data.ItemMap[unique.Item]}}"}""")).StatusCode);
        using (var ranked = await Get("/v1/users/fan/recommendations?k=1&variant=genre"))
        {
            var first = ranked.RootElement.GetProperty("items")[0];
            Assert.Equal("film-new", first.GetProperty("item").GetString());
            Assert.Equal("A film added while serving", first.GetProperty("title").GetString());
        }

        // The stacks take it as a candidate of the genre source: the genre model scores it, the others cannot (0).
        var service = _factory.Services.GetRequiredService<RecommendationService>();
        var stack = await service.RecommendAsync("fan", 100, "LogisticStack", explain: true);
        var added = Assert.Single(stack.Items, i => i.Item == "film-new");
        Assert.True(added.Features!["score_genre"] > 0.99f);
        Assert.Equal(0f, added.Features["score_als"]);
        Assert.Equal(0f, added.Features["item_n_ratings"]);

        // Ingest takes it now, and it is never recommended back; hidden, no one gets it; deleted, ingest refuses it.
        Assert.Equal(HttpStatusCode.OK, (await Post("/v1/interactions", """{"user": "fan", "item": "film-new"}""")).StatusCode);
        using (var after = await Get("/v1/users/fan/recommendations?k=20&variant=genre"))
        {
            Assert.DoesNotContain(after.RootElement.GetProperty("items").EnumerateArray(), i => i.GetProperty("item").GetString() == "film-new");
        }

        Assert.Equal(HttpStatusCode.OK, (await Post("/v1/interactions", $$"""{"user": "fan2", "item": "{{content.Data.ItemMap[unique.Item]}}"}""")).StatusCode);
        using (var other = await Get("/v1/users/fan2/recommendations?k=1&variant=genre"))
        {
            Assert.Equal("film-new", other.RootElement.GetProperty("items")[0].GetProperty("item").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await Admin("/v1/items/film-new/hidden", HttpMethod.Put)).StatusCode);
        using (var hidden = await Get("/v1/users/fan2/recommendations?k=20&variant=genre"))
        {
            Assert.DoesNotContain(hidden.RootElement.GetProperty("items").EnumerateArray(), i => i.GetProperty("item").GetString() == "film-new");
        }

        Assert.Equal(HttpStatusCode.OK, (await Admin("/v1/items/film-new", HttpMethod.Delete)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Post("/v1/interactions", """{"user": "fan2", "item": "film-new"}""")).StatusCode);
    }

    [Theory]
    [InlineData("""{"features": {"colour": "red"}}""", "features.colour")]
    [InlineData("""{"features": {"genres": {"a": 1}}}""", "features.genres")]
    [InlineData("""{"features": {"genres": [true]}}""", "features.genres[0]")]
    [InlineData("""{"features": ["Comedy"]}""", "features")]
    [InlineData("""{"title": 7}""", "title")]
    [InlineData("""{"price": 7}""", "price")]
    [InlineData("""["Comedy"]""", "body")]
    public async Task PutItem_BadBodies_Are400sNamingTheField(string body, string field)
    {
        using var response = await Send(HttpMethod.Put, "/v1/items/film-bad", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _), $"expected field '{field}' in {text}");
        using var missing = await _client.GetAsync("/v1/items/film-bad");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode); // nothing was stored
    }

    [Fact]
    public async Task PutUserFeatures_OnACatalogueWithoutUserFeatures_IsA400()
    {
        using var response = await Send(HttpMethod.Put, "/v1/users/1/features", """{"features": {"age": 30}}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("no user features", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Headers = { { "X-Api-Key", ServerFactory.ApiKey } }, Content = new StringContent(json, Encoding.UTF8, "application/json") };
        return await _client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> Admin(string path, HttpMethod method)
    {
        using var request = new HttpRequestMessage(method, path) { Headers = { { "X-Api-Key", ServerFactory.ApiKey } } };
        return await _client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> Post(string path, string json) =>
        await _client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task OversizedBodies_WrongContentType_AndMissingKeys_Are4xxProblems()
    {
        var big = "{\"interactions\": [" + string.Join(",", Enumerable.Repeat("{\"user\": \"1\", \"item\": \"1\", \"type\": \"view\", \"value\": 1}", 30_000)) + "]}";
        using var tooBig = await _client.PostAsync("/v1/interactions", new StringContent(big, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        using var plain = await _client.PostAsync("/v1/interactions", new StringContent("user=1", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plain.StatusCode);
        using var tooMany = await _client.PostAsync("/v1/interactions", new StringContent("{\"interactions\": [" + string.Join(",", Enumerable.Repeat("{\"user\": \"1\", \"item\": \"1\"}", 1001)) + "]}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        using var noKey = await _client.PostAsync("/admin/reload", null);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal("application/problem+json", noKey.Content.Headers.ContentType?.MediaType);
        using var wrongKey = new HttpRequestMessage(HttpMethod.Post, "/admin/reload") { Headers = { { "X-Api-Key", "guess" } } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(wrongKey)).StatusCode);
    }

    private Task<HttpResponseMessage> Admin(string path) => _client.AdminPostAsync(path);

    private Task<JsonDocument> Get(string path) => _client.GetJsonAsync(path);

    private static HashSet<string> SeenBy(string user)
    {
        var data = LatestSmallBundle.Content.Data;
        var index = data.UserMap.GetIndex(user);
        return data.ByUser.RowColumns(index).ToArray().Select(i => data.ItemMap[i]).ToHashSet();
    }
}
