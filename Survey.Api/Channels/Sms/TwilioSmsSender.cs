using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Survey.Api.Channels;

/// <summary>
/// SMS through Twilio's Messages REST API (<c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c>, form fields To, From or
/// MessagingServiceSid, Body, StatusCallback; basic auth AccountSid:AuthToken), or into the outbox folder without an account.
/// 201 with a <c>sid</c> is accepted; 429, 401 and 5xx are transient; other 4xx (Twilio's <c>{code, message, more_info, status}</c>)
/// permanent; a connection lost after the request body went out is uncertain. Kept behind <see cref="IChannelSender"/> so the
/// official SDK can replace it where it is available.
/// </summary>
public sealed class TwilioSmsSender(IHttpClientFactory http, IOptions<SmsOptions> options, Outbox outbox, TimeProvider time, ILogger<TwilioSmsSender> logger) : IChannelSender
{
    public const string HttpClientName = "Survey.Channels.Twilio";

    public ChannelKind Channel => ChannelKind.Sms;

    public async Task<SendResult> Send(OutgoingMessage message, CancellationToken ct)
    {
        var settings = options.Value;
        var result = string.IsNullOrWhiteSpace(message.To) || string.IsNullOrWhiteSpace(message.Text)
            ? SendResult.Permanent("The message has no phone number or no text.")
            : string.IsNullOrWhiteSpace(settings.AccountSid)
                ? SendResult.Accepted(await WriteToOutbox(message, settings, ct))
                : await Post(message, settings, ct);
        logger.LogDebug("SMS for invitation {InvitationId}: {Outcome} {ProviderMessageId} {Error}", message.InvitationId, result.Outcome, result.ProviderMessageId, result.Error);
        return result;
    }

    private async Task<SendResult> Post(OutgoingMessage message, SmsOptions settings, CancellationToken ct)
    {
        var fields = new List<KeyValuePair<string, string>> { new("To", message.To) };
        fields.Add(string.IsNullOrWhiteSpace(settings.MessagingServiceSid) ? new("From", settings.From!) : new("MessagingServiceSid", settings.MessagingServiceSid));
        fields.Add(new("Body", message.Text));
        if (!string.IsNullOrWhiteSpace(settings.StatusCallbackUrl)) fields.Add(new("StatusCallback", settings.StatusCallbackUrl));

        using var content = new SingleSendContent(new FormUrlEncodedContent(fields));
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"{settings.BaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(settings.AccountSid!)}/Messages.json") { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.AccountSid}:{settings.AuthToken}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        var (response, body, failure) = await ProviderHttp.Send(http.CreateClient(HttpClientName), request, content, "Twilio", ct);
        if (failure is not null) return failure;
        using (response)
        {
            var status = response!.StatusCode;
            if (ProviderHttp.IsSuccess(status))
                return Sid(body) is { } sid
                    ? SendResult.Accepted(sid)
                    : SendResult.Uncertain($"Twilio answered {(int)status} without a message sid.");
            var error = Error(status, body);
            return status is HttpStatusCode.TooManyRequests or HttpStatusCode.Unauthorized || (int)status >= 500 || (int)status < 400
                ? SendResult.Transient(error)
                : SendResult.Permanent(error);
        }
    }

    private static string? Sid(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("sid", out var sid) && sid.ValueKind == JsonValueKind.String ? sid.GetString() : null;
        }
        catch (JsonException) { return null; }
    }

    /// <summary>Twilio's error code and message (numbers it quotes removed), e.g. "Twilio 21211 (HTTP 400): The 'To' number [number] is not a valid phone number."</summary>
    private static string Error(HttpStatusCode status, string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var code = root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32().ToString() : "error";
            var text = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return $"Twilio {code} (HTTP {(int)status}): {PersonalData.Redact(text)}";
        }
        catch (JsonException) { return $"Twilio answered HTTP {(int)status}."; }
    }

    private async Task<string> WriteToOutbox(OutgoingMessage message, SmsOptions settings, CancellationToken ct)
    {
        var measure = SmsText.Measure(message.Text);
        var file = new
        {
            invitationId = message.InvitationId, tenantId = message.TenantId, to = message.To, body = message.Text,
            encoding = measure.Encoding.ToString(), units = measure.Units, segments = measure.Segments,
            statusCallback = settings.StatusCallbackUrl, writtenAt = time.GetUtcNow(),
        };
        return await outbox.Write(ChannelKind.Sms, message.InvitationId, "json",
            (stream, c) => JsonSerializer.SerializeAsync(stream, file, OutboxJson.Options, c), ct);
    }
}

internal static class OutboxJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // Chinese stays readable in the file
    };
}
