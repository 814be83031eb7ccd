using System.Text.Json;

namespace RecKit.Tests.Server;

/// <summary>The requests the server tests make again and again: an admin POST with the test key, and a GET that must succeed.</summary>
internal static class TestClientRequests
{
    public static async Task<HttpResponseMessage> AdminPostAsync(this HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Headers = { { "X-Api-Key", ServerFactory.ApiKey } } };
        return await client.SendAsync(request);
    }

    public static async Task<JsonDocument> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text);
    }
}
