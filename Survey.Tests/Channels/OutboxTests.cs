using System.Text.Json.Nodes;
using MimeKit;
using Survey.Api.Channels;

namespace Survey.Tests.Channels;

public class OutboxTests : IDisposable
{
    private readonly string _outbox = Path.Combine(Path.GetTempPath(), $"survey-outbox-{Guid.NewGuid():N}");
    private readonly ChannelServices _services;

    public OutboxTests() => _services = new ChannelServices(new Dictionary<string, string?> { ["Channels:OutboxDirectory"] = _outbox });

    public void Dispose()
    {
        _services.Dispose();
        if (Directory.Exists(_outbox)) Directory.Delete(_outbox, recursive: true);
    }

    private string[] Files(string folder) => Directory.GetFiles(Path.Combine(_outbox, folder)).Select(Path.GetFileName).ToArray()!;

    [Fact]
    public async Task Emails_without_an_SMTP_host_are_eml_files_one_per_invitation_and_a_resend_overwrites()
    {
        var sender = _services.Get<EmailSender>();
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();

        var result = await sender.Send(Messages.Email(first, dealer: "上海浦东店"), CancellationToken.None);
        await sender.Send(Messages.Email(first, dealer: "北京朝阳店"), CancellationToken.None);
        await sender.Send(Messages.Email(second), CancellationToken.None);

        result.ShouldBe(new SendResult(SendOutcome.Accepted, $"outbox:email/{first}.eml", null));
        Files("email").Order().ShouldBe(new[] { $"{first}.eml", $"{second}.eml" }.Order());
        var written = await MimeMessage.LoadAsync(Path.Combine(_outbox, "email", $"{first}.eml"));
        written.Subject.ShouldBe("您在北京朝阳店的体验如何？");
        written.MessageId.ShouldBe($"{first}@localhost");
        written.HtmlBody!.ShouldContain("score=10");
    }

    [Fact]
    public async Task SMS_without_an_account_are_json_files_one_per_invitation()
    {
        var sender = _services.Get<TwilioSmsSender>();
        var invitationId = Guid.NewGuid();

        var result = await sender.Send(Messages.Sms(invitationId), CancellationToken.None);
        await sender.Send(Messages.Sms(invitationId, text: "【星辰汽车】请花1分钟评价本次服务：https://survey.example.com/s/Ab3dE9xZ 回复TD退订"), CancellationToken.None);

        result.ProviderMessageId.ShouldBe($"outbox:sms/{invitationId}.json");
        Files("sms").ShouldBe([$"{invitationId}.json"]);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_outbox, "sms", $"{invitationId}.json")))!;
        json["to"]!.GetValue<string>().ShouldBe("+8613800138000");
        json["body"]!.GetValue<string>().ShouldBe("【星辰汽车】请花1分钟评价本次服务：https://survey.example.com/s/Ab3dE9xZ 回复TD退订");
        json["encoding"]!.GetValue<string>().ShouldBe("Ucs2");
        json["segments"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task WeChat_messages_without_an_app_are_the_request_body_one_file_per_invitation()
    {
        var sender = _services.Get<WeChatSubscribeSender>();
        var invitationId = Guid.NewGuid();

        var result = await sender.Send(Messages.WeChat(invitationId), CancellationToken.None);

        result.ProviderMessageId.ShouldBe($"outbox:wechat/{invitationId}.json");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_outbox, "wechat", $"{invitationId}.json")))!;
        json["touser"]!.GetValue<string>().ShouldBe("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
        json["data"]!["thing1"]!["value"]!.GetValue<string>().ShouldBe("上海浦东店保养服务");
        json["miniprogram_state"]!.GetValue<string>().ShouldBe("formal");
    }

    [Fact]
    public async Task The_same_invitation_sent_many_times_at_once_leaves_one_whole_file()
    {
        var sender = _services.Get<EmailSender>();
        var invitationId = Guid.NewGuid();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => sender.Send(Messages.Email(invitationId), CancellationToken.None))));

        results.ShouldAllBe(r => r.Outcome == SendOutcome.Accepted);
        Files("email").ShouldBe([$"{invitationId}.eml"]); // no duplicates, no temporary files left
        (await MimeMessage.LoadAsync(Path.Combine(_outbox, "email", $"{invitationId}.eml"))).MessageId.ShouldBe($"{invitationId}@localhost");
    }

    [Fact]
    public void Every_channel_has_its_sender()
    {
        var senders = _services.Get<ChannelSenders>();
        foreach (var channel in Enum.GetValues<ChannelKind>()) senders.For(channel).Channel.ShouldBe(channel);
        _services.Get<IEnumerable<IChannelSender>>().Count().ShouldBe(3);
    }
}
