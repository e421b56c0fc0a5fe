using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Survey.Api.Channels;

/// <summary>
/// WeChat mini-program subscribe messages (<c>POST /cgi-bin/message/subscribe/send?access_token=...</c> with touser, template_id,
/// page, data, miniprogram_state, lang), or into the outbox folder without an AppID. errcode 0 is accepted (msgid is the provider
/// id); 40001/42001/40014 (token invalid or expired) fetch a token once more and retry once; 43101 (the user refused or has no
/// subscription left) and other errors about this message are permanent; -1 (system busy) and the rest transient.
/// </summary>
public sealed class WeChatSubscribeSender(
    IHttpClientFactory http, IOptions<WeChatOptions> options, WeChatAccessTokens tokens, Outbox outbox, ILogger<WeChatSubscribeSender> logger) : IChannelSender
{
    public const string HttpClientName = "Survey.Channels.WeChat";

    private static readonly HashSet<int> TokenRejected = [40001, 42001, 40014];

    /// <summary>Errors about this message or recipient that another try cannot fix.</summary>
    private static readonly Dictionary<int, string> Permanent = new()
    {
        [43101] = "the user refused the message or has no subscription left",
        [40003] = "the openid is not valid",
        [40037] = "the template id is not valid",
        [47003] = "the template data does not fit the template",
        [41030] = "the page does not exist in the published mini-program",
    };

    public ChannelKind Channel => ChannelKind.MiniProgram;

    public async Task<SendResult> Send(OutgoingMessage message, CancellationToken ct)
    {
        var settings = options.Value;
        SendResult result;
        if (string.IsNullOrWhiteSpace(message.To) || string.IsNullOrWhiteSpace(message.TemplateId))
            result = SendResult.Permanent("The message has no openid or no template id.");
        else if (string.IsNullOrWhiteSpace(settings.AppId))
        {
            var body = Body(message, settings);
            body["invitationId"] = message.InvitationId;
            result = SendResult.Accepted(await outbox.Write(ChannelKind.MiniProgram, message.InvitationId, "json",
                (stream, c) => JsonSerializer.SerializeAsync(stream, body, OutboxJson.Options, c), ct));
        }
        else
            result = await Post(message, settings, ct);
        logger.LogDebug("WeChat message for invitation {InvitationId}: {Outcome} {ProviderMessageId} {Error}", message.InvitationId, result.Outcome, result.ProviderMessageId, result.Error);
        return result;
    }

    /// <summary>The request body as WeChat documents it: each template field as <c>{ "value": ... }</c>.</summary>
    public static JsonObject Body(OutgoingMessage message, WeChatOptions settings)
    {
        var data = new JsonObject();
        foreach (var (key, value) in message.TemplateData ?? new Dictionary<string, string>())
            data[key] = new JsonObject { ["value"] = value };
        var body = new JsonObject { ["touser"] = message.To, ["template_id"] = message.TemplateId };
        if (!string.IsNullOrWhiteSpace(message.MiniProgramPage)) body["page"] = message.MiniProgramPage;
        body["data"] = data;
        body["miniprogram_state"] = settings.MiniProgramState;
        body["lang"] = Lang(message.Locale);
        return body;
    }

    /// <summary>WeChat's languages: zh_CN, zh_HK, zh_TW, en_US.</summary>
    private static string Lang(string locale) => locale.ToLowerInvariant() switch
    {
        "zh-hk" or "zh-mo" or "zh-hant-hk" => "zh_HK",
        "zh-tw" or "zh-hant" or "zh-hant-tw" => "zh_TW",
        var l when l.StartsWith("zh") => "zh_CN",
        _ => "en_US",
    };

    private async Task<SendResult> Post(OutgoingMessage message, WeChatOptions settings, CancellationToken ct)
    {
        var payload = Body(message, settings).ToJsonString();
        string? rejected = null;
        for (var attempt = 1; ; attempt++)
        {
            string token;
            try { token = await tokens.Get(ct, rejected); }
            catch (WeChatTokenException e) { return SendResult.Transient($"No WeChat access token: {e.Message}"); }

            using var content = new SingleSendContent(new StringContent(payload, Encoding.UTF8, "application/json"));
            using var request = new HttpRequestMessage(HttpMethod.Post,
                $"{settings.BaseUrl.TrimEnd('/')}/cgi-bin/message/subscribe/send?access_token={Uri.EscapeDataString(token)}") { Content = content };
            var (response, body, failure) = await ProviderHttp.Send(http.CreateClient(HttpClientName), request, content, "WeChat", ct);
            if (failure is not null) return failure;
            using (response)
            {
                if (!ProviderHttp.IsSuccess(response!.StatusCode))
                    return SendResult.Transient($"WeChat answered HTTP {(int)response.StatusCode}.");
                if (Answer(body) is not { } answer)
                    return SendResult.Uncertain($"WeChat answered HTTP {(int)response.StatusCode} with something that is not its JSON.");
                var (errcode, errmsg, msgid) = answer;
                if (errcode == 0)
                    return msgid is not null ? SendResult.Accepted(msgid) : SendResult.Uncertain("WeChat answered errcode 0 without a msgid.");
                if (TokenRejected.Contains(errcode) && attempt == 1)
                {
                    rejected = token;
                    continue;
                }
                var error = $"WeChat errcode {errcode}: {(Permanent.TryGetValue(errcode, out var meaning) ? meaning : PersonalData.Redact(errmsg))}";
                return Permanent.ContainsKey(errcode) ? SendResult.Permanent(error) : SendResult.Transient(error);
            }
        }
    }

    private static (int Errcode, string? Errmsg, string? Msgid)? Answer(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var errcode = root.TryGetProperty("errcode", out var e) && e.ValueKind == JsonValueKind.Number ? e.GetInt32() : 0;
            var errmsg = root.TryGetProperty("errmsg", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var msgid = root.TryGetProperty("msgid", out var id) ? id.ValueKind switch
            {
                JsonValueKind.Number => id.GetRawText(),
                JsonValueKind.String => id.GetString(),
                _ => null,
            } : null;
            return (errcode, errmsg, msgid);
        }
        catch (JsonException) { return null; }
    }
}
