using Survey.Api.Channels;

namespace Survey.Tests.Channels;

/// <summary>SMTP failures a real server will not produce on demand, against <see cref="ScriptedSmtpServer"/>.</summary>
public class EmailFailureTests
{
    private static Dictionary<string, string?> Smtp(int port) => EmailSendingTests.Smtp(port);

    [Fact]
    public async Task A_server_that_cannot_be_reached_is_a_transient_failure()
    {
        using var services = new ChannelServices(Smtp(SmtpServerFixture.FreePort()));

        var result = await services.Get<EmailSender>().Send(Messages.Email(Guid.NewGuid()), CancellationToken.None);

        result.Outcome.ShouldBe(SendOutcome.TransientFailure);
        result.Error!.ShouldStartWith("Could not reach the SMTP server");
    }

    [Fact]
    public async Task A_recipient_refused_with_5xx_is_a_permanent_failure_and_the_address_stays_out_of_the_error()
    {
        await using var server = new ScriptedSmtpServer("550 5.1.1 <wang.fang@example.com>: Recipient address rejected: User unknown");
        using var services = new ChannelServices(Smtp(server.Port));

        var result = await services.Get<EmailSender>().Send(Messages.Email(Guid.NewGuid()), CancellationToken.None);

        result.Outcome.ShouldBe(SendOutcome.PermanentFailure);
        result.Error!.ShouldContain("550");
        result.Error!.ShouldNotContain("wang.fang");
        server.MessagesReceived.ShouldBe(0);
    }

    [Fact]
    public async Task A_recipient_deferred_with_4xx_is_a_transient_failure()
    {
        await using var server = new ScriptedSmtpServer("451 4.7.1 Greylisted, try again later");
        using var services = new ChannelServices(Smtp(server.Port));

        var result = await services.Get<EmailSender>().Send(Messages.Email(Guid.NewGuid()), CancellationToken.None);

        result.Outcome.ShouldBe(SendOutcome.TransientFailure);
        result.Error!.ShouldContain("451");
    }

    [Fact]
    public async Task A_connection_lost_before_the_data_is_transient_and_one_lost_after_the_data_is_uncertain()
    {
        await using var beforeData = new ScriptedSmtpServer(drop: ScriptedSmtpServer.Drop.AfterRecipient);
        await using var afterData = new ScriptedSmtpServer(drop: ScriptedSmtpServer.Drop.AfterData);
        using var before = new ChannelServices(Smtp(beforeData.Port));
        using var after = new ChannelServices(Smtp(afterData.Port));

        var transient = await before.Get<EmailSender>().Send(Messages.Email(Guid.NewGuid()), CancellationToken.None);
        var uncertain = await after.Get<EmailSender>().Send(Messages.Email(Guid.NewGuid()), CancellationToken.None);

        transient.Outcome.ShouldBe(SendOutcome.TransientFailure, transient.Error);
        beforeData.MessagesReceived.ShouldBe(0);
        uncertain.Outcome.ShouldBe(SendOutcome.Uncertain, uncertain.Error);
        afterData.MessagesReceived.ShouldBe(1);
    }

    [Fact]
    public async Task An_address_that_is_not_one_is_refused_without_calling_the_server()
    {
        await using var server = new ScriptedSmtpServer();
        using var services = new ChannelServices(Smtp(server.Port));

        var result = await services.Get<EmailSender>().Send(Messages.Email(Guid.NewGuid(), to: "not an address"), CancellationToken.None);

        result.Outcome.ShouldBe(SendOutcome.PermanentFailure);
        server.MessagesReceived.ShouldBe(0);
    }

    [Fact]
    public async Task Consecutive_emails_go_over_one_kept_connection()
    {
        await using var server = new ScriptedSmtpServer();
        using var services = new ChannelServices(Smtp(server.Port));
        var sender = services.Get<EmailSender>();

        for (var i = 0; i < 3; i++)
            (await sender.Send(Messages.Email(Guid.NewGuid()), CancellationToken.None)).Outcome.ShouldBe(SendOutcome.Accepted);

        server.MessagesReceived.ShouldBe(3);
        server.Connections.ShouldBe(1);
    }

    [Fact]
    public async Task A_kept_connection_the_server_has_closed_is_replaced_before_the_data_and_the_message_goes_once()
    {
        await using var server = new ScriptedSmtpServer(drop: ScriptedSmtpServer.Drop.AfterEachMessage);
        using var services = new ChannelServices(Smtp(server.Port));
        var sender = services.Get<EmailSender>();

        var first = await sender.Send(Messages.Email(Guid.NewGuid()), CancellationToken.None);
        var second = await sender.Send(Messages.Email(Guid.NewGuid()), CancellationToken.None);

        first.Outcome.ShouldBe(SendOutcome.Accepted, first.Error);
        second.Outcome.ShouldBe(SendOutcome.Accepted, second.Error);
        server.MessagesReceived.ShouldBe(2);
        server.Connections.ShouldBe(2);
    }
}
