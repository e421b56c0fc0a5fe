using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Survey.Api.Channels;

namespace Survey.Tests.Channels;

public class TwilioStatusCallbackTests
{
    private const string AuthToken = "f0e1d2c3b4a5968778695a4b3c2d1e0f";
    private const string PublicUrl = "https://survey.example.com/api/channels/twilio/status";

    /// <summary>Twilio's documented scheme, written out independently of the code under test.</summary>
    private static string Sign(string url, IDictionary<string, string> form)
    {
        var data = url + string.Concat(form.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + p.Value));
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(AuthToken), Encoding.UTF8.GetBytes(data)));
    }

    private static Dictionary<string, string> Callback(string status = "undelivered") => new()
    {
        ["AccountSid"] = "AC0123456789abcdef0123456789abcdef", ["ApiVersion"] = "2010-04-01", ["ErrorCode"] = "30003",
        ["From"] = "+15017122661", ["MessageSid"] = "SM1f0e8ae6ade43cb3c0ce4525424e404f", ["MessageStatus"] = status,
        ["SmsSid"] = "SM1f0e8ae6ade43cb3c0ce4525424e404f", ["SmsStatus"] = status, ["To"] = "+8613800138000",
    };

    private sealed class Sink : IDeliveryStatusSink
    {
        public ConcurrentQueue<DeliveryStatusUpdate> Updates { get; } = new();
        public Task Record(DeliveryStatusUpdate update, CancellationToken ct)
        {
            Updates.Enqueue(update);
            return Task.CompletedTask;
        }
    }

    /// <summary>A minimal app: AddChannels, a test sink, MapChannelCallbacks, on Kestrel at 127.0.0.1.</summary>
    private static async Task<(WebApplication App, string Origin, Sink Sink)> App(string? statusCallbackUrl = PublicUrl)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Channels:Sms:AccountSid"] = "AC0123456789abcdef0123456789abcdef",
            ["Channels:Sms:AuthToken"] = AuthToken,
            ["Channels:Sms:From"] = "+15017122661",
            ["Channels:Sms:StatusCallbackUrl"] = statusCallbackUrl,
            ["Channels:OutboxDirectory"] = Path.Combine(Path.GetTempPath(), "survey-outbox-unused"),
        });
        var sink = new Sink();
        builder.Services.AddChannels(builder.Configuration);
        builder.Services.AddSingleton<IDeliveryStatusSink>(sink);
        var app = builder.Build();
        app.MapChannelCallbacks();
        await app.StartAsync();
        var origin = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return (app, origin, sink);
    }

    private static async Task<HttpResponseMessage> Post(string url, IDictionary<string, string> form, string? signature)
    {
        using var client = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        if (signature is not null) request.Headers.Add("X-Twilio-Signature", signature);
        return await client.SendAsync(request);
    }

    [Fact]
    public void The_signature_matches_the_example_in_Twilios_documentation()
    {
        var form = new Dictionary<string, StringValues>
        {
            ["CallSid"] = "CA1234567890ABCDE", ["Caller"] = "+14158675310", ["Digits"] = "1234", ["From"] = "+14158675310", ["To"] = "+18005551212",
        };
        TwilioSignature.Compute("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", form).ShouldBe("GvWf1cFY/Q7PnoempGyD5oXAezc=");
        form["Caller"] = form["From"] = "+14158675309"; // the older example, still in Twilio's SDK test suites
        TwilioSignature.Compute("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", form).ShouldBe("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        TwilioSignature.IsValid("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", form, "RSOYDt4T1cUTdK1PDd93/VVr8B8=").ShouldBeTrue();
    }

    [Fact]
    public async Task A_signed_callback_reaches_the_sink()
    {
        var (app, origin, sink) = await App();
        await using var _ = app;
        var form = Callback();

        var response = await Post(origin + "/api/channels/twilio/status", form, Sign(PublicUrl, form));

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var update = sink.Updates.ShouldHaveSingleItem();
        update.ShouldBe(update with
        {
            Channel = ChannelKind.Sms, ProviderMessageId = "SM1f0e8ae6ade43cb3c0ce4525424e404f", State = DeliveryState.Undelivered,
            ErrorCode = "30003", Detail = "undelivered",
        });
        update.At.ShouldBe(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Without_a_configured_public_URL_the_request_URL_is_the_signed_one()
    {
        var (app, origin, sink) = await App(statusCallbackUrl: null);
        await using var _ = app;
        var form = Callback("delivered");
        form.Remove("ErrorCode");

        var response = await Post(origin + "/api/channels/twilio/status?invitation=42", form, Sign(origin + "/api/channels/twilio/status?invitation=42", form));

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        sink.Updates.ShouldHaveSingleItem().ShouldSatisfyAllConditions(u => u.State.ShouldBe(DeliveryState.Delivered), u => u.ErrorCode.ShouldBeNull());
    }

    [Fact]
    public async Task A_tampered_parameter_is_refused_with_403()
    {
        var (app, origin, sink) = await App();
        await using var _ = app;
        var form = Callback("undelivered");
        var signature = Sign(PublicUrl, form);
        form["MessageStatus"] = "delivered";

        var response = await Post(origin + "/api/channels/twilio/status", form, signature);

        await Forbidden(response);
        sink.Updates.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_signature_for_another_URL_is_refused_with_403()
    {
        var (app, origin, sink) = await App();
        await using var _ = app;
        var form = Callback();

        await Forbidden(await Post(origin + "/api/channels/twilio/status?invitation=43", form, Sign(PublicUrl + "?invitation=42", form)));
        await Forbidden(await Post(origin + "/api/channels/twilio/status", form, Sign("https://attacker.example.net/api/channels/twilio/status", form)));
        await Forbidden(await Post(origin + "/api/channels/twilio/status", form, signature: null));
        sink.Updates.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_body_that_is_not_a_form_is_refused()
    {
        var (app, origin, sink) = await App();
        await using var _ = app;
        using var client = new HttpClient();

        var response = await client.PostAsync(origin + "/api/channels/twilio/status", new StringContent("""{"MessageSid":"SM1"}""", Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        sink.Updates.ShouldBeEmpty();
    }

    private static async Task Forbidden(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        problem["status"]!.GetValue<int>().ShouldBe(403);
        problem["type"]!.GetValue<string>().ShouldEndWith("/invalid-signature");
    }
}
