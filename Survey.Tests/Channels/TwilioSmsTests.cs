using System.Text;
using Survey.Api.Channels;

namespace Survey.Tests.Channels;

public class TwilioSmsTests : IAsyncLifetime
{
    private FakeTwilio _twilio = null!;

    public async Task InitializeAsync() => _twilio = await FakeTwilio.Start();
    public async Task DisposeAsync() => await _twilio.Server.DisposeAsync();

    private async Task<(SendResult Result, ChannelServices Services)> Send(OutgoingMessage message, Dictionary<string, string>? settings = null)
    {
        var services = new ChannelServices((settings ?? _twilio.Settings()).ToDictionary(p => p.Key, p => (string?)p.Value));
        return (await services.Get<TwilioSmsSender>().Send(message, CancellationToken.None), services);
    }

    [Fact]
    public async Task A_message_is_posted_as_documented_and_accepted_with_its_sid()
    {
        var invitationId = Guid.NewGuid();
        var message = Messages.Sms(invitationId);
        var (result, services) = await Send(message);
        using var _ = services;

        result.Outcome.ShouldBe(SendOutcome.Accepted, result.Error);
        result.ProviderMessageId.ShouldNotBeNull().ShouldMatch("^SM[0-9a-f]{32}$");

        var request = _twilio.Server.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("POST");
        request.Path.ShouldBe($"/2010-04-01/Accounts/{FakeTwilio.AccountSid}/Messages.json");
        request.Header("Authorization").ShouldBe("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{FakeTwilio.AccountSid}:{FakeTwilio.AuthToken}")));
        request.Header("Content-Type").ShouldStartWith("application/x-www-form-urlencoded");
        request.Header("Accept").ShouldBe("application/json");
        FakeTwilio.Form(request).ShouldBe(new Dictionary<string, string>
        {
            ["To"] = "+8613800138000",
            ["From"] = "+15017122661",
            ["Body"] = message.Text,
            ["StatusCallback"] = "https://survey.example.com/api/channels/twilio/status",
        });
        message.Text.ShouldContain("【星辰汽车】");
        services.Logs.ShouldNotContain(line => line.Contains("13800138000"));
        services.Logs.ShouldContain(line => line.Contains(invitationId.ToString()) && line.Contains(result.ProviderMessageId!));
    }

    [Fact]
    public async Task A_messaging_service_replaces_the_sender_number()
    {
        var (result, services) = await Send(Messages.Sms(Guid.NewGuid()), _twilio.Settings(messagingService: true));
        using var _ = services;

        result.Outcome.ShouldBe(SendOutcome.Accepted, result.Error);
        var form = FakeTwilio.Form(_twilio.Server.Requests.ShouldHaveSingleItem());
        form["MessagingServiceSid"].ShouldBe("MG9752274e9e519418a7406176694466fa");
        form.ShouldNotContainKey("From");
    }

    [Fact]
    public async Task An_invalid_number_is_a_permanent_failure_with_Twilios_code_and_without_the_number()
    {
        var (result, services) = await Send(Messages.Sms(Guid.NewGuid(), to: "13800138000"));
        using var _ = services;

        result.Outcome.ShouldBe(SendOutcome.PermanentFailure);
        result.Error.ShouldBe("Twilio 21211 (HTTP 400): The 'To' number [number] is not a valid phone number.");
        services.Logs.ShouldNotContain(line => line.Contains("13800138000"));
    }

    [Theory]
    [InlineData("500", "Twilio 20500 (HTTP 500): Internal Server Error")]
    [InlineData("429", "Twilio 20429 (HTTP 429): Too Many Requests")]
    public async Task Server_errors_and_rate_limits_are_transient(string script, string error)
    {
        _twilio.Script["+8613800000001"] = script;
        var (result, services) = await Send(Messages.Sms(Guid.NewGuid(), to: "+8613800000001"));
        using var _ = services;

        result.Outcome.ShouldBe(SendOutcome.TransientFailure);
        result.Error.ShouldBe(error);
    }

    [Fact]
    public async Task Wrong_credentials_are_transient_since_they_say_nothing_about_the_recipient()
    {
        var settings = _twilio.Settings();
        settings["Channels:Sms:AuthToken"] = "not-the-token";
        var (result, services) = await Send(Messages.Sms(Guid.NewGuid()), settings);
        using var _ = services;

        result.Outcome.ShouldBe(SendOutcome.TransientFailure);
        result.Error.ShouldBe("Twilio 20003 (HTTP 401): Authentication Error - invalid username");
    }

    [Fact]
    public async Task A_connection_dropped_after_the_request_was_read_is_uncertain()
    {
        _twilio.Script["+8613800000002"] = "abort";
        var (result, services) = await Send(Messages.Sms(Guid.NewGuid(), to: "+8613800000002"));
        using var _ = services;

        result.Outcome.ShouldBe(SendOutcome.Uncertain, result.Error);
        result.ProviderMessageId.ShouldBeNull();
        _twilio.Server.Requests.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_dropped_request_on_a_reused_connection_is_not_silently_sent_again()
    {
        _twilio.Script["+8613800000003"] = "abort";
        using var services = new ChannelServices(_twilio.Settings().ToDictionary(p => p.Key, p => (string?)p.Value));
        var sender = services.Get<TwilioSmsSender>();

        (await sender.Send(Messages.Sms(Guid.NewGuid()), CancellationToken.None)).Outcome.ShouldBe(SendOutcome.Accepted);
        var dropped = await sender.Send(Messages.Sms(Guid.NewGuid(), to: "+8613800000003"), CancellationToken.None);

        dropped.Outcome.ShouldBe(SendOutcome.Uncertain, dropped.Error);
        _twilio.Server.Requests.Count(r => FakeTwilio.Form(r)["To"] == "+8613800000003").ShouldBe(1);
    }

    [Fact]
    public async Task No_answer_within_the_timeout_is_uncertain()
    {
        _twilio.Script["+8613800000004"] = "slow";
        var (result, services) = await Send(Messages.Sms(Guid.NewGuid(), to: "+8613800000004"));
        using var _ = services;

        result.Outcome.ShouldBe(SendOutcome.Uncertain, result.Error);
        result.Error!.ShouldContain("timed out");
    }

    [Fact]
    public async Task A_refused_connection_is_transient()
    {
        var settings = _twilio.Settings();
        settings["Channels:Sms:BaseUrl"] = $"http://127.0.0.1:{SmtpServerFixture.FreePort()}";
        var (result, services) = await Send(Messages.Sms(Guid.NewGuid()), settings);
        using var _ = services;

        result.Outcome.ShouldBe(SendOutcome.TransientFailure, result.Error);
    }
}
