using System.Net;
using System.Net.Http.Json;
using Survey.Api.Questionnaires;
using Survey.Api.Respondents.Answering;
using Survey.Api.Respondents.Distribution;
using Survey.Domain.Questionnaires;
using Survey.Tests.Api.Questionnaires;
using Survey.Tests.Infrastructure;
using static Survey.Tests.Domain.Questionnaires.Samples;

namespace Survey.Tests.Api.Respondents;

/// <summary>Sets up published surveys and their distribution through the API, and plays a respondent.</summary>
public sealed class Respondent(HttpClient client)
{
    public static Question Csat => new("csat", QuestionType.Csat, Text("How satisfied are you?", "您满意吗？"), Page: 2, RequiredIf: "{nps} <= 6");

    /// <summary>nps (required) -> wrong (shown when nps &lt;= 6, max 2) -> comment (page 2) -> csat (page 2, required when nps &lt;= 6).</summary>
    public async Task<Guid> PublishedSurvey()
    {
        var created = await (await client.Send(HttpMethod.Post, "/api/questionnaires", QuestionnaireRequests.Create(Nps(), WhatWentWrong(), Comment(), Csat)))
            .Read<QuestionnaireView>(HttpStatusCode.Created);
        (await client.PostAsync($"/api/questionnaires/{created.Id}/publish", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        return created.Id;
    }

    public async Task<string> Link(Guid questionnaireId) =>
        (await (await client.Send(HttpMethod.Post, "/api/public-links", new CreateLinkRequest(questionnaireId))).Read<LinkView>(HttpStatusCode.Created)).Id;

    public async Task<InvitationView> Invitation(Guid questionnaireId, int? days = null) =>
        await (await client.Send(HttpMethod.Post, "/api/invitations", new CreateInvitationRequest(questionnaireId, "sms", days))).Read<InvitationView>(HttpStatusCode.Created);

    public Task<HttpResponseMessage> Start(Guid responseId, SourceView source, string? origin = null, string locale = "en")
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/public/responses/{responseId}")
        {
            Content = JsonContent.Create(new StartRequest(source, locale, "web", "mobile", "https://shop.example.com/thanks"), options: Http.Json),
        };
        if (origin is not null) request.Headers.Add("Origin", origin);
        return client.SendAsync(request);
    }

    public Task<HttpResponseMessage> Save(Guid responseId, int sequence, object answers, string? origin = null) =>
        Post($"/api/public/responses/{responseId}/saves", new { sequence, answers }, origin);

    public Task<HttpResponseMessage> Complete(Guid responseId, int sequence, object? answers = null) =>
        Post($"/api/public/responses/{responseId}/complete", new { sequence, answers = answers ?? new { } }, null);

    private Task<HttpResponseMessage> Post(string url, object body, string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, options: Http.Json) };
        if (origin is not null) request.Headers.Add("Origin", origin);
        return client.SendAsync(request);
    }
}
