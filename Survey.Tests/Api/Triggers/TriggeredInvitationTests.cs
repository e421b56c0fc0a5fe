using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Survey.Api.Invitations;
using Survey.Api.Operations.Ingesting;
using Survey.Api.Security;
using Survey.Api.Storage;
using Survey.Domain.Invitations;
using Survey.Domain.Operations;
using Survey.Domain.Triggers;
using Survey.Domain.Triggers.Matching;
using Survey.Tests.Api.Respondents;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Triggers;

public sealed class OutboxApiFixture : ApiFixture
{
    public string Outbox { get; } = Directory.CreateTempSubdirectory("survey-outbox-").FullName;
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Channels:OutboxDirectory"] = Outbox,
        ["Respondents:PublicBaseUrl"] = "https://survey.example.cn",
    };
}

/// <summary>From an operational event to a sent invitation: trigger matching, fatigue, channel choice, the due table, the dispatcher, the outbox.</summary>
public class TriggeredInvitationTests(OutboxApiFixture api) : IClassFixture<OutboxApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    private async Task<string> Setup(string eventType, ReminderRule? reminder = null)
    {
        (await _client.Send(HttpMethod.Put, "/api/regions/EAST", new Region("EAST", new LocalizedName("华东区", "East"), []))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _client.Send(HttpMethod.Put, "/api/dealers/SH-PD-01", new Dealer("SH-PD-01", new LocalizedName("上海浦东店", "Shanghai Pudong"), "EAST", "Asia/Shanghai", "上海", [])))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var questionnaireId = await new Respondent(_client).PublishedSurvey();
        var definition = new TriggerDefinition("After service, East", eventType, [FilterCondition.Is("dealer.region", "EAST")], questionnaireId,
            TimeSpan.Zero, null, [Channel.MiniProgram, Channel.Sms, Channel.Email], 100m, TimeSpan.FromDays(7), reminder);
        var created = await (await _client.Send(HttpMethod.Post, "/api/triggers", definition)).Read<Trigger>(HttpStatusCode.Created);
        (await _client.PostAsync($"/api/triggers/{created.Id}/publish", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await (await _client.Send(HttpMethod.Post, "/api/api-keys", new CreateApiKeyRequest("dms"))).Read<NewApiKey>(HttpStatusCode.Created)).Key;
    }

    private async Task Ingest(string key, string eventId, string customerId, bool smsConsent, string dealer = "SH-PD-01", string type = "service.completed")
    {
        var json = $$"""
            { "externalId": "{{eventId}}", "type": "{{type}}", "occurredAt": "{{api.Time.GetUtcNow().AddMinutes(-5):O}}", "dealerCode": "{{dealer}}",
              "customer": { "externalId": "{{customerId}}", "name": "王伟", "mobile": "13812345678", "preferredLanguage": "zh-CN",
                            "consents": [ { "channel": "sms", "given": {{(smsConsent ? "true" : "false")}}, "at": "2025-03-01T10:00:00+08:00", "source": "counter" } ] },
              "attributes": { "vehicleModel": "A6L" } }
            """;
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/ingest/events") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        (await (await _client.SendAsync(request)).Read<IngestResult>()).Accepted.ShouldBe(1);
    }

    /// <summary>The questionnaire of the published trigger for an event type.</summary>
    private async Task<Guid> InvitationQuestionnaire(string eventType)
    {
        await using var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession(Tenancy.DefaultTenant);
        return (await session.Query<Trigger>().Where(t => t.Draft.EventType == eventType).ToListAsync()).Single().Draft.QuestionnaireId;
    }

    /// <summary>The customer's newest invitation (each event here makes at most one).</summary>
    private async Task<Invitation> InvitationOf(string customerId)
    {
        await using var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession(Tenancy.DefaultTenant);
        var invitations = await session.Query<Invitation>().Where(i => i.CustomerExternalId == customerId).ToListAsync();
        return invitations.OrderBy(i => i.CreatedAt).Last();
    }

    [Fact]
    public async Task An_event_schedules_an_invitation_the_dispatcher_sends_it_once_and_the_next_event_is_suppressed_by_fatigue()
    {
        var key = await Setup("service.completed");
        await Ingest(key, "RO-100", "C-100", smsConsent: true);

        var scheduled = await InvitationOf("C-100");
        scheduled.Status.ShouldBe(InvitationStatus.Scheduled);
        scheduled.ChannelOrder.ShouldBe(["sms"]); // no WeChat openid, no e-mail: only SMS is usable
        (await api.Services.GetRequiredService<DueInvitations>().Waiting(CancellationToken.None)).ShouldBeGreaterThanOrEqualTo(1);

        var dispatcher = ActivatorUtilities.CreateInstance<InvitationDispatcher>(api.Services);
        (await dispatcher.Run(CancellationToken.None)).ShouldBeGreaterThanOrEqualTo(1);
        (await dispatcher.Run(CancellationToken.None)).ShouldBe(0); // nothing due any more: never a second send

        var sent = await InvitationOf("C-100");
        sent.Status.ShouldBe(InvitationStatus.Sent);
        sent.SentChannel.ShouldBe("sms");
        sent.Timeline.Select(t => t.What).ShouldBe(["scheduled", "attempted", "sent"]);
        var smsFile = Directory.GetFiles(api.Outbox, $"{sent.Id}*", SearchOption.AllDirectories).ShouldHaveSingleItem();
        var sms = await File.ReadAllTextAsync(smsFile);
        sms.ShouldContain("+8613812345678");
        var shortLink = System.Text.RegularExpressions.Regex.Match(sms, @"https://survey.example.cn(/i/[A-Za-z0-9_\-]{11})").Groups[1].Value;
        shortLink.ShouldNotBeEmpty(sms);
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _client.BaseAddress };
        var redirect = await noRedirect.GetAsync(shortLink);
        redirect.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var token = System.Text.RegularExpressions.Regex.Match(redirect.Headers.Location!.ToString(), @"/s/([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)").Groups[1].Value;

        // the provider's status callback moves it to delivered, once
        var sink = api.Services.GetRequiredService<Survey.Api.Channels.IDeliveryStatusSink>();
        var delivered = new Survey.Api.Channels.DeliveryStatusUpdate(Survey.Api.Channels.ChannelKind.Sms, sent.ProviderMessageId!, Survey.Api.Channels.DeliveryState.Delivered, null, null, api.Time.GetUtcNow());
        await sink.Record(delivered, CancellationToken.None);
        await sink.Record(delivered, CancellationToken.None);
        var afterCallback = await InvitationOf("C-100");
        afterCallback.Status.ShouldBe(InvitationStatus.Delivered);
        afterCallback.Timeline.Count(t => t.What == "delivered").ShouldBe(1);

        // the link in the message opens the survey it invites to
        var view = await (await _client.GetAsync($"/api/public/surveys/by-token/{token}?locale=zh-CN")).Read<Survey.Api.Respondents.Answering.SurveyView>();
        view.Questions[0].Text.ShouldBe("您向朋友推荐上海浦东店的可能性有多大？"); // {dealer.name} piped from the operational data, in the respondent's language
        var english = await (await _client.GetAsync($"/api/public/surveys/by-token/{token}?locale=en")).Read<Survey.Api.Respondents.Answering.SurveyView>();
        english.Questions[0].Text.ShouldBe("How likely are you to recommend Shanghai Pudong?");

        // unsubscribing: a GET (a mail scanner) changes nothing, the POST opts the customer out
        var unsubscribe = $"/unsubscribe/{token}";
        (await (await _client.GetAsync(unsubscribe)).Content.ReadAsStringAsync()).ShouldContain("<form method=\"post\"");
        await using (var query = api.Services.GetRequiredService<IDocumentStore>().QuerySession(Tenancy.DefaultTenant))
            (await query.LoadAsync<Survey.Api.Operations.CustomerRecord>("C-100"))!.Customer.OptedOut.ShouldBeFalse();

        api.Time.Advance(TimeSpan.FromDays(3));
        await Ingest(key, "RO-101", "C-100", smsConsent: true);
        var second = await InvitationOf("C-100");
        second.Status.ShouldBe(InvitationStatus.Suppressed);
        second.Timeline.Single().Detail!.ShouldStartWith("recently-invited");

        (await _client.PostAsync(unsubscribe, null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        api.Time.Advance(TimeSpan.FromDays(40));
        await Ingest(key, "RO-102", "C-100", smsConsent: true);
        (await InvitationOf("C-100")).Timeline.Single().Detail!.ShouldStartWith("opted-out");
    }

    [Fact]
    public async Task An_unopened_invitation_gets_one_reminder_and_an_opened_one_none()
    {
        var key = await Setup("order.paid", new ReminderRule(TimeSpan.FromDays(2), ReminderCondition.NotOpened));
        await Ingest(key, "RO-300", "C-300", smsConsent: true, type: "order.paid");
        await Ingest(key, "RO-301", "C-301", smsConsent: true, type: "order.paid");
        var dispatcher = ActivatorUtilities.CreateInstance<InvitationDispatcher>(api.Services);
        await dispatcher.Run(CancellationToken.None);
        (await InvitationOf("C-300")).Status.ShouldBe(InvitationStatus.Sent);

        // C-301 opens the survey (starts answering) before the reminder time
        var opened = await InvitationOf("C-301");
        var token = await api.Services.GetRequiredService<Survey.Api.Respondents.InvitationTokens>()
            .Issue(new Survey.Api.Respondents.InvitationClaims(Tenancy.DefaultTenant, opened.Id, opened.QuestionnaireId, opened.ExpiresAt), CancellationToken.None);
        (await new Respondent(_client).Start(Guid.NewGuid(), new Survey.Api.Respondents.Answering.SourceView("invitation", Token: token))).StatusCode.ShouldBe(HttpStatusCode.Created);

        api.Time.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        await dispatcher.Run(CancellationToken.None);
        await dispatcher.Run(CancellationToken.None);
        (await InvitationOf("C-300")).Timeline.Select(t => t.What).ShouldBe(["scheduled", "attempted", "sent", "reminded"]);
        (await InvitationOf("C-301")).Timeline.Select(t => t.What).ShouldBe(["scheduled", "attempted", "sent", "opened"]);
    }

    [Fact]
    public async Task An_email_invitation_carries_the_zero_to_ten_links_with_the_dealer_named()
    {
        var key = await Setup("order.refunded");
        var json = $$"""
            { "externalId": "RO-400", "type": "order.refunded", "occurredAt": "{{api.Time.GetUtcNow().AddMinutes(-5):O}}", "dealerCode": "SH-PD-01",
              "customer": { "externalId": "C-400", "name": "王芳", "email": "wang.fang@example.cn", "preferredLanguage": "zh-CN",
                            "consents": [ { "channel": "email", "given": true, "at": "2025-03-01T10:00:00+08:00", "source": "web" } ] } }
            """;
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/ingest/events") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        (await (await _client.SendAsync(request)).Read<IngestResult>()).Accepted.ShouldBe(1);
        await ActivatorUtilities.CreateInstance<InvitationDispatcher>(api.Services).Run(CancellationToken.None);

        var sent = await InvitationOf("C-400");
        sent.SentChannel.ShouldBe("email");
        var eml = Directory.GetFiles(api.Outbox, $"{sent.Id}*", SearchOption.AllDirectories).ShouldHaveSingleItem();
        var message = await MimeKit.MimeMessage.LoadAsync(eml);
        message.To.Mailboxes.Single().Address.ShouldBe("wang.fang@example.cn");
        (message.Headers["List-Unsubscribe"] ?? "").ShouldContain("https://survey.example.cn/unsubscribe/");
        var html = message.HtmlBody ?? throw new ShouldAssertException("no HTML body");
        html.ShouldContain("上海浦东店");
        html.ShouldNotContain("{dealer.name}");
        for (var score = 0; score <= 10; score++) html.ShouldContain($"score={score}");
    }

    [Fact]
    public async Task A_questionnaire_email_template_in_the_customers_language_is_used_with_values_encoded()
    {
        var key = await Setup("vehicle.handed-over");
        var questionnaireId = (await InvitationQuestionnaire("vehicle.handed-over"));
        var template = new EmailTemplate(
            "{customer.name}，{dealer.name}交车体验如何？",
            "<h1>{survey.title}</h1><p>{customer.name}，您好！您的{event.vehicleModel}已交付。</p><p>{question}</p>{nps.links}<p><a href=\"{unsubscribe.url}\">退订</a></p>",
            "{customer.name}，您好！\n{nps.links}\n退订：{unsubscribe.url}");
        (await _client.Send(HttpMethod.Put, $"/api/questionnaires/{questionnaireId}/email-templates/zh-cn", template)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var json = $$"""
            { "externalId": "RO-500", "type": "vehicle.handed-over", "occurredAt": "{{api.Time.GetUtcNow().AddMinutes(-5):O}}", "dealerCode": "SH-PD-01",
              "customer": { "externalId": "C-500", "name": "<img src=x onerror=alert(1)>王芳", "email": "wang.fang5@example.cn", "preferredLanguage": "zh-CN",
                            "consents": [ { "channel": "email", "given": true, "at": "2025-03-01T10:00:00+08:00", "source": "web" } ] },
              "attributes": { "vehicleModel": "A6L" } }
            """;
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/ingest/events") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        (await (await _client.SendAsync(request)).Read<IngestResult>()).Accepted.ShouldBe(1);
        await ActivatorUtilities.CreateInstance<InvitationDispatcher>(api.Services).Run(CancellationToken.None);

        var sent = await InvitationOf("C-500");
        var message = await MimeKit.MimeMessage.LoadAsync(Directory.GetFiles(api.Outbox, $"{sent.Id}*", SearchOption.AllDirectories).ShouldHaveSingleItem());
        message.Subject.ShouldBe("<img src=x onerror=alert(1)>王芳，上海浦东店交车体验如何？");
        var html = message.HtmlBody!;
        html.ShouldStartWith("<h1>售后服务调查</h1>");
        html.ShouldContain("&lt;img src=x onerror=alert(1)&gt;王芳，您好！您的A6L已交付。");
        html.ShouldNotContain("<img");
        html.ShouldContain("https://survey.example.cn/unsubscribe/");
        for (var score = 0; score <= 10; score++) html.ShouldContain($"score={score}");
        var text = message.TextBody ?? throw new ShouldAssertException("no text body");
        text.ShouldContain("0 (完全不可能): https://survey.example.cn/s/");
        text.ShouldContain("退订：https://survey.example.cn/unsubscribe/");
        (message.Headers["List-Unsubscribe"] ?? "").ShouldContain("https://survey.example.cn/unsubscribe/");
    }

    [Fact]
    public async Task Email_templates_refuse_bad_input_and_unknown_languages_without_changing_anything_and_preview_with_sample_data()
    {
        var questionnaireId = await new Respondent(_client).PublishedSurvey();
        var url = $"/api/questionnaires/{questionnaireId}/email-templates";
        var good = new EmailTemplate("How was {dealer.name}?", "<p>{customer.name}</p>{nps.links}<a href=\"{unsubscribe.url}\">x</a>", "{survey.url} {unsubscribe.url}");
        (await _client.Send(HttpMethod.Put, $"{url}/en", good)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await (await _client.Send(HttpMethod.Put, $"{url}/en", good with { Html = "<p>{nps.links}</p>", Subject = "{survey.url}" })).Problem(HttpStatusCode.BadRequest))
            .ErrorPaths().ShouldBe(["html", "subject"], ignoreOrder: true);
        (await (await _client.Send(HttpMethod.Put, $"{url}/fr", good)).Problem(HttpStatusCode.BadRequest)).ErrorPaths().ShouldBe(["locale"]);
        await (await _client.SendRaw(HttpMethod.Put, $"{url}/en", "{ not json")).Problem(HttpStatusCode.BadRequest);
        await (await _client.Send(HttpMethod.Put, $"/api/questionnaires/{Guid.NewGuid()}/email-templates/en", good)).Problem(HttpStatusCode.NotFound);

        var stored = await (await _client.GetAsync(url)).Read<QuestionnaireEmailTemplates>();
        stored.Locales.Keys.ToList().ShouldBe(["en"]);
        stored.Locales["en"].ShouldBe(good);

        var preview = await (await _client.Send(HttpMethod.Post, $"{url}/zh-CN/preview", good with { Subject = "{dealer.name}：{survey.title}" })).Read<EmailPreview>();
        preview.Subject.ShouldBe("上海浦东店：售后服务调查");
        preview.Html.ShouldContain("<p>王伟</p>");
        preview.Html.ShouldContain("score=10");
        (await (await _client.GetAsync(url)).Read<QuestionnaireEmailTemplates>()).Locales.Keys.ToList().ShouldBe(["en"], customMessage: "a preview saves nothing");

        (await _client.DeleteAsync($"{url}/EN")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await (await _client.GetAsync(url)).Read<QuestionnaireEmailTemplates>()).Locales.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_customer_without_consent_is_suppressed_with_the_reason_and_other_regions_do_not_fire()
    {
        var key = await Setup("vehicle.delivered");
        await Ingest(key, "RO-200", "C-200", smsConsent: false, type: "vehicle.delivered");
        var suppressed = await InvitationOf("C-200");
        suppressed.Status.ShouldBe(InvitationStatus.Suppressed);
        suppressed.Timeline.Single().Detail!.ShouldStartWith("no-usable-channel");

        (await _client.Send(HttpMethod.Put, "/api/regions/WEST", new Region("WEST", new LocalizedName("西区", "West"), []))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _client.Send(HttpMethod.Put, "/api/dealers/CD-01", new Dealer("CD-01", new LocalizedName("成都店", "Chengdu"), "WEST", "Asia/Shanghai", null, []))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Ingest(key, "RO-201", "C-201", smsConsent: true, dealer: "CD-01", type: "vehicle.delivered");
        await using var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession(Tenancy.DefaultTenant);
        (await session.Query<Invitation>().Where(i => i.CustomerExternalId == "C-201").CountAsync()).ShouldBe(0);
    }
}
