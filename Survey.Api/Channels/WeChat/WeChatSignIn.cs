using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Survey.Api.Http;
using Survey.Domain.Common;

namespace Survey.Api.Channels;

/// <summary>
/// A mini-program member's sign-in: the <c>code</c> from <c>wx.login()</c> exchanged at
/// <c>GET /sns/jscode2session?appid=&amp;secret=&amp;js_code=&amp;grant_type=authorization_code</c> for the member's openid. The
/// session_key WeChat also returns is never kept or handed out. Codes are single-use and short-lived (WeChat: 5 minutes).
/// </summary>
public sealed class WeChatSignIn(IHttpClientFactory http, IOptions<WeChatOptions> options)
{
    public bool Configured => !string.IsNullOrWhiteSpace(options.Value.AppId);

    /// <summary>The openid of the member who got this code; a refused code is a 401, a busy or unreachable WeChat a 503.</summary>
    public async Task<string> OpenIdFor(string code, CancellationToken ct)
    {
        var settings = options.Value;
        var url = $"{settings.BaseUrl.TrimEnd('/')}/sns/jscode2session?appid={Uri.EscapeDataString(settings.AppId!)}" +
            $"&secret={Uri.EscapeDataString(settings.AppSecret ?? "")}&js_code={Uri.EscapeDataString(code)}&grant_type=authorization_code";
        string text;
        try
        {
            using var response = await http.CreateClient(WeChatSubscribeSender.HttpClientName).GetAsync(url, ct);
            if (!ProviderHttp.IsSuccess(response.StatusCode)) throw Busy();
            text = await response.Content.ReadAsStringAsync(ct);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || e is TaskCanceledException && !ct.IsCancellationRequested) { throw Busy(); }

        JsonObject json;
        try { json = JsonNode.Parse(text)?.AsObject() ?? throw Busy(); }
        catch (Exception e) when (e is JsonException or InvalidOperationException) { throw Busy(); }
        var errcode = json["errcode"] is { } node && node.GetValueKind() == JsonValueKind.Number ? node.GetValue<int>() : 0;
        return errcode switch
        {
            0 when json["openid"] is { } openid && openid.GetValueKind() == JsonValueKind.String && openid.GetValue<string>().Length > 0 => openid.GetValue<string>(),
            0 => throw Busy(),
            // invalid code, code already used, a user WeChat blocks as high-risk
            40029 or 40163 or 40226 => throw new InvalidCredentialException("Sign-in did not work. Please close the survey and open it again."),
            45011 => throw new ProviderUnavailableException("Too many sign-ins right now. Please try again in a minute.", TimeSpan.FromSeconds(60)),
            _ => throw Busy(),
        };
    }

    private static ProviderUnavailableException Busy() => new("WeChat sign-in is not available right now. Please try again shortly.", TimeSpan.FromSeconds(5));
}
