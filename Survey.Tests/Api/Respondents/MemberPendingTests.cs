using System.Net;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Survey.Api.Operations;
using Survey.Api.Respondents.Members;
using Survey.Api.Storage;
using Survey.Domain.Invitations;
using Survey.Domain.Operations;
using Survey.Tests.Channels;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Respondents;

public sealed class MemberHost(Dictionary<string, string> settings) : ApiFixture(TestPostgres.CreateDatabase())
{
    protected override IReadOnlyDictionary<string, string> Settings => settings;
}

/// <summary>A mini-program member signs in with wx.login()'s code and finds the surveys waiting for them.</summary>
public class MemberPendingTests : IAsyncLifetime
{
    private FakeWeChat _wechat = null!;
    private MemberHost _api = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _wechat = await FakeWeChat.Start();
        _api = new MemberHost(_wechat.Settings());
        _client = _api.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _wechat.Server.DisposeAsync();
    }

    /// <summary>An invitation for the customer, taken as far as <paramref name="state"/>.</summary>
    private async Task<Guid> Invitation(Guid questionnaireId, string customerId, string? openId, string state, int expiresInDays = 7)
    {
        var now = _api.Time.GetUtcNow();
        var id = Guid.NewGuid();
        await using var session = _api.Services.GetRequiredService<IDocumentStore>().LightweightSession(Tenancy.DefaultTenant);
        var vault = _api.Services.GetRequiredService<Survey.Api.Privacy.PersonalDataVault>();
        session.Store(new CustomerRecord(customerId, new Customer(customerId, "会员", null, null, openId, [new Consent(Channel.MiniProgram, true, now, "test")], "zh-CN", null), now,
            WeChatIndex: openId is null ? null : vault.OpenIdIndex(Tenancy.DefaultTenant, openId)));
        var events = new List<object> { new InvitationScheduled(id, Guid.NewGuid(), 1, $"E-{id:N}", customerId, null, questionnaireId, 1, ["miniProgram"],
            state == "scheduled" ? now.AddHours(3) : now, now.AddDays(expiresInDays), null, now) };
        if (state is "sent" or "responded")
        {
            events.Add(new InvitationSendAttempted(id, "miniProgram", 1, now));
            events.Add(new InvitationSent(id, "miniProgram", "294402298110051942", now));
        }
        if (state == "responded") events.Add(new InvitationResponded(id, Guid.NewGuid(), now));
        session.Events.StartStream<Invitation>(id, events.ToArray());
        await session.SaveChangesAsync();
        return id;
    }

    private async Task<HttpResponseMessage> SignIn(string code) =>
        await _client.Send(HttpMethod.Post, "/api/public/miniprogram/sessions", new MemberSignInRequest(code));

    private async Task<HttpResponseMessage> Pending(string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/public/miniprogram/pending?locale=zh-CN");
        if (token is not null) request.Headers.Add(MemberEndpoints.TokenHeader, token);
        return await _client.SendAsync(request);
    }

    [Fact]
    public async Task A_signed_in_member_sees_only_their_sent_open_invitations_and_can_open_them()
    {
        var questionnaireId = await new Respondent(_client).PublishedSurvey();
        var waiting = await Invitation(questionnaireId, "M-1", "oMember1", "sent");
        await Invitation(questionnaireId, "M-1", "oMember1", "scheduled");
        await Invitation(questionnaireId, "M-1", "oMember1", "responded");
        await Invitation(questionnaireId, "M-1", "oMember1", "sent", expiresInDays: -1);
        await Invitation(questionnaireId, "M-2", "oSomeoneElse", "sent");
        _wechat.LoginCodes["0a3Fk0ll2lqYxd4Ij5ml2K6DaG1Fk0l8"] = "oMember1";

        var session = await (await SignIn("0a3Fk0ll2lqYxd4Ij5ml2K6DaG1Fk0l8")).Read<MemberSession>();
        var login = _wechat.Server.Requests.Single(r => r.Path == "/sns/jscode2session");
        login.Method.ShouldBe("GET");
        session.MemberToken.ShouldNotContain("tiihtNczf5v6AKRyjwEUhQ", customMessage: "the session_key never leaves the server");

        var pending = await (await Pending(session.MemberToken)).Read<PendingSurveys>();
        var survey = pending.Surveys.ShouldHaveSingleItem();
        survey.InvitationId.ShouldBe(waiting);
        survey.Title.ShouldBe("售后服务调查");
        (await _client.GetAsync($"/api/public/surveys/by-token/{survey.Token}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Refused_codes_and_tokens_are_4xx_and_a_busy_wechat_is_503_with_retry_after()
    {
        _wechat.LoginCodes["code-once"] = "oMember9";
        (await SignIn("code-once")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await SignIn("code-once")).Problem(HttpStatusCode.Unauthorized);      // 40163: used
        await (await SignIn("never-issued")).Problem(HttpStatusCode.Unauthorized);   // 40029: invalid
        (await (await SignIn(" ")).Problem(HttpStatusCode.BadRequest)).ErrorPaths().ShouldBe(["code"]);
        await (await _client.SendRaw(HttpMethod.Post, "/api/public/miniprogram/sessions", "{ nope")).Problem(HttpStatusCode.BadRequest);
        _wechat.LoginCodes["code-quota"] = "45011";
        var busy = await SignIn("code-quota");
        await busy.Problem(HttpStatusCode.ServiceUnavailable);
        busy.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(60));

        await (await Pending(null)).Problem(HttpStatusCode.Unauthorized);
        await (await Pending("not.a-token")).Problem(HttpStatusCode.Unauthorized);
        _wechat.LoginCodes["code-2"] = "oMember9";
        var token = (await (await SignIn("code-2")).Read<MemberSession>()).MemberToken;
        var tampered = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];
        await (await Pending(tampered)).Problem(HttpStatusCode.Unauthorized);
        (await Pending(token)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // an invitation token is signed with the same key but for respondents: it is not a member token
        var questionnaireId = await new Respondent(_client).PublishedSurvey();
        var invitation = await new Respondent(_client).Invitation(questionnaireId);
        await (await Pending(invitation.Token)).Problem(HttpStatusCode.Unauthorized);

        // a member token expires
        _api.Time.Advance(TimeSpan.FromDays(8));
        await (await Pending(token)).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Without_a_mini_program_configured_sign_in_is_404()
    {
        using var plain = new MemberHost([]);
        await (await plain.CreateClient().Send(HttpMethod.Post, "/api/public/miniprogram/sessions", new MemberSignInRequest("abc"))).Problem(HttpStatusCode.NotFound);
    }
}
