using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Time.Testing;
using Survey.Api.Channels;

namespace Survey.Tests.Channels;

public class WeChatSubscribeTests : IAsyncLifetime
{
    private FakeWeChat _wechat = null!;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync() => _wechat = await FakeWeChat.Start();
    public async Task DisposeAsync() => await _wechat.Server.DisposeAsync();

    private ChannelServices Services(Dictionary<string, string>? settings = null) =>
        new((settings ?? _wechat.Settings()).ToDictionary(p => p.Key, p => (string?)p.Value), _time);

    [Fact]
    public async Task A_subscribe_message_is_sent_as_documented_with_a_stable_token()
    {
        using var services = Services();
        var invitationId = Guid.NewGuid();

        var result = await services.Get<WeChatSubscribeSender>().Send(Messages.WeChat(invitationId), CancellationToken.None);

        result.ShouldBe(new SendResult(SendOutcome.Accepted, "294402298110051942", null));
        var token = _wechat.Server.Requests.First();
        token.Method.ShouldBe("POST");
        token.Path.ShouldBe("/cgi-bin/stable_token");
        JsonNode.DeepEquals(JsonNode.Parse(token.Body), JsonNode.Parse(
            $$"""{"grant_type":"client_credential","appid":"{{FakeWeChat.AppId}}","secret":"{{FakeWeChat.AppSecret}}","force_refresh":false}""")).ShouldBeTrue(token.Body);

        var send = _wechat.Sends.ShouldHaveSingleItem();
        send.Method.ShouldBe("POST");
        send.Header("Content-Type").ShouldStartWith("application/json");
        QueryHelpers.ParseQuery(send.Query)["access_token"].ToString().ShouldBe(_wechat.CurrentToken);
        JsonNode.DeepEquals(JsonNode.Parse(send.Body), JsonNode.Parse("""
            {
              "touser": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
              "template_id": "bDmywsp2oEHjwAadTGKkUHpC0RgBVPvfAqunqHDzNyQ",
              "page": "pages/survey/index?token=Ab3dE9xZ",
              "data": { "thing1": { "value": "上海浦东店保养服务" }, "time2": { "value": "2026-11-02 09:30" }, "thing3": { "value": "请花1分钟评价本次服务" } },
              "miniprogram_state": "trial",
              "lang": "zh_CN"
            }
            """)).ShouldBeTrue(send.Body);
        services.Logs.ShouldNotContain(line => line.Contains("oUpF8uMuAJO"));
        services.Logs.ShouldNotContain(line => line.Contains(_wechat.CurrentToken));
        services.Logs.ShouldContain(line => line.Contains(invitationId.ToString()));
    }

    [Fact]
    public async Task The_token_is_cached_until_shortly_before_it_expires()
    {
        using var services = Services();
        var sender = services.Get<WeChatSubscribeSender>();

        for (var i = 0; i < 3; i++)
            (await sender.Send(Messages.WeChat(Guid.NewGuid()), CancellationToken.None)).Outcome.ShouldBe(SendOutcome.Accepted);
        _wechat.TokensIssued.ShouldBe(1);

        _time.Advance(TimeSpan.FromSeconds(7200) - TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        (await sender.Send(Messages.WeChat(Guid.NewGuid(), locale: "en"), CancellationToken.None)).Outcome.ShouldBe(SendOutcome.Accepted);
        _wechat.TokensIssued.ShouldBe(1);

        _time.Advance(TimeSpan.FromSeconds(2));
        (await sender.Send(Messages.WeChat(Guid.NewGuid()), CancellationToken.None)).Outcome.ShouldBe(SendOutcome.Accepted);
        _wechat.TokensIssued.ShouldBe(2);
        JsonNode.Parse(_wechat.Sends.ElementAt(3).Body)!["lang"]!.GetValue<string>().ShouldBe("en_US");
    }

    [Fact]
    public async Task A_token_WeChat_no_longer_accepts_is_fetched_again_once_and_the_message_retried()
    {
        using var services = Services();
        var sender = services.Get<WeChatSubscribeSender>();
        (await sender.Send(Messages.WeChat(Guid.NewGuid()), CancellationToken.None)).Outcome.ShouldBe(SendOutcome.Accepted);
        var first = _wechat.CurrentToken;
        _wechat.Rotate(); // as if it expired or was replaced elsewhere

        var result = await sender.Send(Messages.WeChat(Guid.NewGuid()), CancellationToken.None);

        result.Outcome.ShouldBe(SendOutcome.Accepted, result.Error);
        _wechat.TokensIssued.ShouldBe(2);
        _wechat.Sends.Select(s => QueryHelpers.ParseQuery(s.Query)["access_token"].ToString()).ShouldBe([first, first, _wechat.CurrentToken]);
        _wechat.ForceRefreshSeen.ShouldBeFalse();
    }

    [Fact]
    public async Task A_token_refused_twice_is_a_transient_failure()
    {
        _wechat.Script["o-always-40001"] = "always-40001";
        using var services = Services();

        var result = await services.Get<WeChatSubscribeSender>().Send(Messages.WeChat(Guid.NewGuid(), "o-always-40001"), CancellationToken.None);

        result.Outcome.ShouldBe(SendOutcome.TransientFailure);
        result.Error!.ShouldStartWith("WeChat errcode 40001");
        _wechat.Sends.Count().ShouldBe(2);
    }

    [Fact]
    public async Task A_user_without_a_subscription_is_a_permanent_failure()
    {
        _wechat.Script["o-refused"] = "43101";
        using var services = Services();

        var result = await services.Get<WeChatSubscribeSender>().Send(Messages.WeChat(Guid.NewGuid(), "o-refused"), CancellationToken.None);

        result.ShouldBe(new SendResult(SendOutcome.PermanentFailure, null, "WeChat errcode 43101: the user refused the message or has no subscription left"));
    }

    [Fact]
    public async Task System_busy_is_a_transient_failure()
    {
        _wechat.Script["o-busy"] = "-1";
        using var services = Services();

        var result = await services.Get<WeChatSubscribeSender>().Send(Messages.WeChat(Guid.NewGuid(), "o-busy"), CancellationToken.None);

        result.Outcome.ShouldBe(SendOutcome.TransientFailure);
        result.Error!.ShouldStartWith("WeChat errcode -1: system error");
    }

    [Fact]
    public async Task Template_data_WeChat_refuses_is_a_permanent_failure()
    {
        using var services = Services();
        var message = Messages.WeChat(Guid.NewGuid()) with { TemplateData = new Dictionary<string, string>() };

        var result = await services.Get<WeChatSubscribeSender>().Send(message, CancellationToken.None);

        result.Outcome.ShouldBe(SendOutcome.PermanentFailure);
        result.Error!.ShouldStartWith("WeChat errcode 47003");
    }

    [Fact]
    public async Task A_connection_dropped_after_the_request_was_read_is_uncertain()
    {
        _wechat.Script["o-drop"] = "abort";
        using var services = Services();

        var result = await services.Get<WeChatSubscribeSender>().Send(Messages.WeChat(Guid.NewGuid(), "o-drop"), CancellationToken.None);

        result.Outcome.ShouldBe(SendOutcome.Uncertain, result.Error);
        _wechat.Sends.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_wrong_secret_is_transient_and_nothing_is_sent()
    {
        var settings = _wechat.Settings();
        settings["Channels:WeChat:AppSecret"] = "wrong";
        using var services = Services(settings);

        var result = await services.Get<WeChatSubscribeSender>().Send(Messages.WeChat(Guid.NewGuid()), CancellationToken.None);

        result.Outcome.ShouldBe(SendOutcome.TransientFailure);
        result.Error.ShouldBe("No WeChat access token: stable_token answered errcode 40125: invalid appsecret");
        _wechat.Sends.ShouldBeEmpty();
    }
}
