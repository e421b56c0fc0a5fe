using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Survey.Api.Channels;

/// <summary>The stable_token endpoint answered with an error or not at all.</summary>
public sealed class WeChatTokenException(string message) : Exception(message);

/// <summary>
/// Access tokens from <c>POST /cgi-bin/stable_token</c> in normal mode (<c>force_refresh: false</c>), kept in memory until
/// <see cref="WeChatOptions.TokenRefreshMargin"/> before they expire. Normal mode hands every caller the same valid token and never
/// invalidates the ones other nodes hold, so a cache per node is safe with any number of nodes. Force-refresh mode would
/// invalidate them (and is limited to 20 calls a day), so it is never used.
/// </summary>
public sealed class WeChatAccessTokens(IHttpClientFactory http, IOptions<WeChatOptions> options, TimeProvider time)
{
    private sealed record Cached(string Token, DateTimeOffset UseUntil);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Cached? _current;

    /// <summary>A token to call with; <paramref name="rejected"/> is one WeChat just refused (40001/42001), which is never handed out again.</summary>
    public async Task<string> Get(CancellationToken ct, string? rejected = null)
    {
        if (Usable(rejected) is { } token) return token;
        await _gate.WaitAsync(ct);
        try
        {
            if (Usable(rejected) is { } fetchedMeanwhile) return fetchedMeanwhile;
            var (fresh, expiresIn) = await Fetch(ct);
            var margin = TimeSpan.FromTicks(Math.Min(options.Value.TokenRefreshMargin.Ticks, expiresIn.Ticks / 2));
            _current = new Cached(fresh, time.GetUtcNow() + expiresIn - margin);
            return fresh;
        }
        finally { _gate.Release(); }
    }

    private string? Usable(string? rejected) =>
        _current is { } current && current.Token != rejected && time.GetUtcNow() < current.UseUntil ? current.Token : null;

    private async Task<(string Token, TimeSpan ExpiresIn)> Fetch(CancellationToken ct)
    {
        var settings = options.Value;
        var body = new JsonObject
        {
            ["grant_type"] = "client_credential", ["appid"] = settings.AppId, ["secret"] = settings.AppSecret, ["force_refresh"] = false,
        };
        HttpResponseMessage response;
        string text;
        try
        {
            response = await http.CreateClient(WeChatSubscribeSender.HttpClientName).PostAsync(
                $"{settings.BaseUrl.TrimEnd('/')}/cgi-bin/stable_token", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), ct);
            text = await response.Content.ReadAsStringAsync(ct);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || e is TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new WeChatTokenException($"stable_token could not be reached ({e.GetType().Name}).");
        }
        using (response)
        {
            if (!ProviderHttp.IsSuccess(response.StatusCode)) throw new WeChatTokenException($"stable_token answered HTTP {(int)response.StatusCode}.");
            try
            {
                var json = JsonNode.Parse(text)!.AsObject();
                if (json["access_token"]?.GetValue<string>() is { Length: > 0 } token)
                    return (token, TimeSpan.FromSeconds(json["expires_in"]?.GetValue<int>() ?? 7200));
                throw new WeChatTokenException($"stable_token answered errcode {json["errcode"]?.ToJsonString() ?? "?"}: {PersonalData.Redact(json["errmsg"]?.GetValue<string>())}");
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                throw new WeChatTokenException("stable_token answered something that is not its JSON.");
            }
        }
    }
}
