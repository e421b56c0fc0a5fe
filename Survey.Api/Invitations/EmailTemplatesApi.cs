using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Survey.Api.Channels;
using Survey.Api.Http;
using Survey.Api.Security;
using Survey.Domain.Common;
using Survey.Domain.Invitations;
using Survey.Domain.Questionnaires;

namespace Survey.Api.Invitations;

/// <summary>The invitation emails of one questionnaire, one per language; a language without one gets the built-in email.</summary>
public sealed record QuestionnaireEmailTemplates(Guid Id, Dictionary<string, EmailTemplate> Locales, DateTimeOffset UpdatedAt);

/// <summary>What a template looks like once filled: for the designer's preview.</summary>
public sealed record EmailPreview(string Subject, string Html, string Text);

/// <summary>Marketers write their own invitation email per questionnaire and language (HTML + plain text, with placeholders).</summary>
public static class EmailTemplatesApi
{
    public static IEndpointRouteBuilder MapEmailTemplatesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/questionnaires/{id:guid}/email-templates").WithTags("Invitation emails")
            .RequireReadWrite(Policies.DesignRead, Policies.Design);
        group.MapGet("/", Get).WithName("GetEmailTemplates")
            .WithSummary("The questionnaire's invitation email templates by language")
            .WithDescription("Placeholders: " + string.Join(", ", EmailTemplates.EmailFields.Select(f => $"{{{f.Key}}} ({f.Value})")) +
                "; and the operational data fields of question piping: {customer.name}, {customer.firstName}, {dealer.name}, {region.name}, {event.<attribute>}...");
        group.MapPut("/{locale}", Put).WithName("PutEmailTemplate")
            .WithSummary("Set the invitation email for one of the questionnaire's languages")
            .WithRequestExample("""
                { "subject": "您在{dealer.name}的体验如何？",
                  "html": "<p>{customer.name}，您好：</p><p>{question}</p>{nps.links}<p><a href=\"{survey.url}\">打开问卷</a></p><p><a href=\"{unsubscribe.url}\">退订</a></p>",
                  "text": "{customer.name}，您好：\n{question}\n{nps.links}\n打开问卷：{survey.url}\n退订：{unsubscribe.url}" }
                """);
        group.MapDelete("/{locale}", Delete).WithName("DeleteEmailTemplate").WithSummary("Go back to the built-in email for this language");
        group.MapPost("/{locale}/preview", Preview).WithName("PreviewEmailTemplate")
            .WithSummary("Fill a template (not saved) with sample data, as the recipient would see it");
        return app;
    }

    private static async Task<Ok<QuestionnaireEmailTemplates>> Get(Guid id, IQuerySession session, CancellationToken ct)
    {
        await Questionnaire(session, id, ct);
        return TypedResults.Ok(await session.LoadAsync<QuestionnaireEmailTemplates>(id, ct) ?? new(id, [], default));
    }

    private static async Task<Ok<QuestionnaireEmailTemplates>> Put(Guid id, string locale, EmailTemplate? template, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        var questionnaire = await Questionnaire(session, id, ct);
        var problems = EmailTemplates.Validate(template).ToList();
        problems.AddRange(LocaleProblems(questionnaire, locale));
        InvalidInputException.ThrowIfAny(problems);
        var current = await session.LoadAsync<QuestionnaireEmailTemplates>(id, ct) ?? new(id, [], default);
        var updated = current with { Locales = new(current.Locales) { [Canonical(questionnaire, locale)] = template! }, UpdatedAt = time.GetUtcNow() };
        session.Store(updated);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(updated);
    }

    private static async Task<NoContent> Delete(Guid id, string locale, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        var questionnaire = await Questionnaire(session, id, ct);
        InvalidInputException.ThrowIfAny(LocaleProblems(questionnaire, locale).ToList());
        if (await session.LoadAsync<QuestionnaireEmailTemplates>(id, ct) is { } current && current.Locales.ContainsKey(Canonical(questionnaire, locale)))
        {
            var locales = new Dictionary<string, EmailTemplate>(current.Locales);
            locales.Remove(Canonical(questionnaire, locale));
            session.Store(current with { Locales = locales, UpdatedAt = time.GetUtcNow() });
            await session.SaveChangesAsync(ct);
        }
        return TypedResults.NoContent();
    }

    private static async Task<Ok<EmailPreview>> Preview(Guid id, string locale, EmailTemplate? template, IQuerySession session, CancellationToken ct)
    {
        var questionnaire = await Questionnaire(session, id, ct);
        var problems = EmailTemplates.Validate(template).ToList();
        problems.AddRange(LocaleProblems(questionnaire, locale));
        InvalidInputException.ThrowIfAny(problems);
        var zh = locale.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
        var definition = questionnaire.LatestPublished ?? questionnaire.Draft;
        var sample = new Dictionary<string, string>
        {
            ["customer.name"] = zh ? "王伟" : "Alex Chen", ["customer.firstName"] = zh ? "王伟" : "Alex", ["customer.lastName"] = zh ? "" : "Chen",
            ["customer.externalId"] = "C-10001", ["customer.language"] = locale,
            ["dealer.name"] = zh ? "上海浦东店" : "Shanghai Pudong", ["dealer.code"] = "SH-PD-01", ["dealer.city"] = zh ? "上海" : "Shanghai",
            ["region.name"] = zh ? "华东区" : "East", ["region.code"] = "EAST", ["event.vehicleModel"] = "A6L", ["event.advisor"] = zh ? "李明" : "Li Ming",
        };
        var content = new InvitationEmailContent(locale, "https://survey.example.com/s/SAMPLE-TOKEN", definition.Title.In(locale) ?? "",
            "https://survey.example.com/unsubscribe/SAMPLE-TOKEN", sample["customer.name"], sample["dealer.name"], NpsQuestionText(definition, locale));
        var mail = InvitationEmail.Render(template!, content, definition.Title.In(locale) ?? "", name => sample.GetValueOrDefault(name));
        return TypedResults.Ok(new EmailPreview(mail.Subject, mail.Html, mail.Text));
    }

    /// <summary>The questionnaire's own NPS question in a language, for <c>{question}</c> and the built-in email.</summary>
    public static string? NpsQuestionText(QuestionnaireDefinition definition, string locale) =>
        definition.Questions.FirstOrDefault(q => q.Type == QuestionType.Nps) is { } nps ? nps.Text.In(locale) ?? nps.Text.In(definition.DefaultLocale) : null;

    private static async Task<Questionnaire> Questionnaire(IQuerySession session, Guid id, CancellationToken ct) =>
        await session.LoadAsync<Questionnaire>(id, ct) ?? throw new NotFoundException($"Questionnaire {id} does not exist.");

    private static IEnumerable<InputProblem> LocaleProblems(Questionnaire questionnaire, string locale)
    {
        var locales = (questionnaire.LatestPublished ?? questionnaire.Draft).Locales.Union(questionnaire.Draft.Locales, StringComparer.OrdinalIgnoreCase);
        if (!locales.Contains(locale, StringComparer.OrdinalIgnoreCase))
            yield return new("locale", "unknown-locale", $"The questionnaire has no language '{locale}'; its languages: {string.Join(", ", locales)}.");
    }

    private static string Canonical(Questionnaire questionnaire, string locale) =>
        questionnaire.Draft.Locales.Concat(questionnaire.LatestPublished?.Locales ?? []).First(l => l.Equals(locale, StringComparison.OrdinalIgnoreCase));
}
