using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Survey.Tests.Channels;

/// <summary>
/// Twilio's Messages API as its reference describes it: <c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c>, basic auth
/// AccountSid:AuthToken, form fields To (E.164), From or MessagingServiceSid, Body; 201 with the Message resource, errors as
/// <c>{ code, message, more_info, status }</c>. Recipients listed in <see cref="Script"/> get a scripted answer instead.
/// </summary>
public sealed class FakeTwilio
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string AuthToken = "f0e1d2c3b4a5968778695a4b3c2d1e0f";

    private FakeTwilio(FakeProvider server) => Server = server;

    public FakeProvider Server { get; }

    /// <summary>To number => what to do instead of accepting: "500", "429", "abort", "slow".</summary>
    public ConcurrentDictionary<string, string> Script { get; } = new();

    public static async Task<FakeTwilio> Start()
    {
        FakeTwilio? twilio = null;
        var server = await FakeProvider.Start((context, request) => twilio!.Answer(context, request));
        return twilio = new FakeTwilio(server);
    }

    public Dictionary<string, string> Settings(bool messagingService = false) => new()
    {
        ["Channels:Sms:AccountSid"] = AccountSid,
        ["Channels:Sms:AuthToken"] = AuthToken,
        [messagingService ? "Channels:Sms:MessagingServiceSid" : "Channels:Sms:From"] = messagingService ? "MG9752274e9e519418a7406176694466fa" : "+15017122661",
        ["Channels:Sms:BaseUrl"] = Server.BaseUrl,
        ["Channels:Sms:StatusCallbackUrl"] = "https://survey.example.com/api/channels/twilio/status",
        ["Channels:Sms:Timeout"] = "00:00:08",
    };

    public static Dictionary<string, string> Form(ReceivedRequest request) =>
        QueryHelpers.ParseQuery(request.Body).ToDictionary(p => p.Key, p => p.Value.ToString());

    private async Task Answer(HttpContext context, ReceivedRequest request)
    {
        var path = Regex.Match(request.Path, "^/2010-04-01/Accounts/([^/]+)/Messages.json$");
        if (!path.Success)
        {
            await Error(context, 404, 20404, $"The requested resource {request.Path} was not found");
            return;
        }
        if (request.Method != "POST")
        {
            await Error(context, 405, 20004, "Method not allowed");
            return;
        }
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}"));
        if (request.Header("Authorization") != expected || path.Groups[1].Value != AccountSid)
        {
            await Error(context, 401, 20003, "Authentication Error - invalid username");
            return;
        }
        if (!request.Header("Content-Type").StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal))
        {
            await Error(context, 400, 20001, "Unsupported content type");
            return;
        }

        var form = Form(request);
        var to = form.GetValueOrDefault("To") ?? "";
        if (!Regex.IsMatch(to, @"^\+[1-9]\d{1,14}$"))
        {
            await Error(context, 400, 21211, $"The 'To' number {to} is not a valid phone number.");
            return;
        }
        if (!form.ContainsKey("From") && !form.ContainsKey("MessagingServiceSid"))
        {
            await Error(context, 400, 21603, "A 'From' phone number is required.");
            return;
        }
        if (string.IsNullOrEmpty(form.GetValueOrDefault("Body")))
        {
            await Error(context, 400, 21602, "Message body is required.");
            return;
        }

        switch (Script.GetValueOrDefault(to))
        {
            case "500":
                await Error(context, 500, 20500, "Internal Server Error");
                return;
            case "429":
                await Error(context, 429, 20429, "Too Many Requests");
                return;
            case "abort":
                await FakeProvider.Abort(context);
                return;
            case "slow":
                await Task.Delay(TimeSpan.FromSeconds(30));
                break;
        }

        var sid = "SM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var now = DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", System.Globalization.CultureInfo.InvariantCulture);
        var service = form.GetValueOrDefault("MessagingServiceSid");
        await FakeProvider.Json(context, 201, JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["account_sid"] = AccountSid, ["api_version"] = "2010-04-01", ["body"] = form["Body"], ["date_created"] = now, ["date_sent"] = null,
            ["date_updated"] = now, ["direction"] = "outbound-api", ["error_code"] = null, ["error_message"] = null,
            ["from"] = form.GetValueOrDefault("From"), ["messaging_service_sid"] = service, ["num_media"] = "0", ["num_segments"] = "1",
            ["price"] = null, ["price_unit"] = "USD", ["sid"] = sid, ["status"] = service is null ? "queued" : "accepted",
            ["subresource_uris"] = new { media = $"/2010-04-01/Accounts/{AccountSid}/Messages/{sid}/Media.json" },
            ["to"] = to, ["uri"] = $"/2010-04-01/Accounts/{AccountSid}/Messages/{sid}.json",
        }));
    }

    private static Task Error(HttpContext context, int status, int code, string message) =>
        FakeProvider.Json(context, status, JsonSerializer.Serialize(new { code, message, more_info = $"https://www.twilio.com/docs/errors/{code}", status }));
}
