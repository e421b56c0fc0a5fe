using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Survey.Api.Storage;

namespace Survey.Tests.Infrastructure;

public static class Http
{
    public static readonly JsonSerializerOptions Json = new JsonSerializerOptions(JsonSerializerDefaults.Web).ApplyApiJson();

    public static async Task<HttpResponseMessage> Send(this HttpClient client, HttpMethod method, string url, object? body = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        if (ifMatch is not null) request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        return await client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> SendRaw(this HttpClient client, HttpMethod method, string url, string body, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, url) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return client.SendAsync(request);
    }

    /// <summary>
    /// Sends a body larger than the server accepts the way a careful client does, with <c>Expect: 100-continue</c>: the server
    /// answers 413 from the Content-Length alone. (Sent straight away, the body races the server's early answer and closing of
    /// the connection, and the client may see a broken pipe instead of the 413.)
    /// </summary>
    public static Task<HttpResponseMessage> SendOversized(this HttpClient client, HttpMethod method, string url, string body)
    {
        var request = new HttpRequestMessage(method, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        return client.SendAsync(request);
    }

    public static async Task<T> Read<T>(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    /// <summary>Asserts an RFC 7807 answer with the status and returns its JSON.</summary>
    public static async Task<JsonObject> Problem(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", text);
        var problem = JsonNode.Parse(text)!.AsObject();
        problem["status"]!.GetValue<int>().ShouldBe((int)expected);
        problem["title"].ShouldNotBeNull();
        return problem;
    }

    /// <summary>The field paths listed in a validation problem.</summary>
    public static IReadOnlyList<string> ErrorPaths(this JsonObject problem) =>
        problem["errors"]?.AsObject().Select(kv => kv.Key).ToList() ?? [];

    public static string ETag(this HttpResponseMessage response) => response.Headers.ETag?.ToString() ?? throw new ShouldAssertException("No ETag header.");
}
