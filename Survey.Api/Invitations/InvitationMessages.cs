using Marten;
using Microsoft.Extensions.Options;
using Survey.Api.Channels;
using Survey.Api.Operations;
using Survey.Api.Questionnaires;
using Survey.Api.Respondents;
using Survey.Domain.Invitations;

namespace Survey.Api.Invitations;

/// <summary>Turns an invitation into the message for one channel: the customer's contact point, a fresh signed link, texts in their language.</summary>
public sealed class InvitationMessages(InvitationTokens tokens, IOptions<RespondentOptions> options, IDocumentStore store, Privacy.PersonalDataVault vault)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Tenant, string Id), PublishedQuestionnaire> _published = new();

    public static ChannelKind Kind(string channel) => channel switch
    {
        "email" => ChannelKind.Email,
        "sms" => ChannelKind.Sms,
        "miniProgram" => ChannelKind.MiniProgram,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Unknown channel."),
    };

    /// <summary>The message, or null with a reason when the customer has no contact point for the channel any more.</summary>
    public async Task<(OutgoingMessage? Message, string? Problem)> Build(IQuerySession session, string tenant, Invitation invitation, string channel, CancellationToken ct)
    {
        var customer = invitation.CustomerExternalId is { } id ? await vault.Open(session, (await session.LoadAsync<CustomerRecord>(id, ct))?.Customer, ct) : null;
        if (customer is null) return (null, "the customer is unknown");
        var kind = Kind(channel);
        var to = kind switch { ChannelKind.Email => customer.Email, ChannelKind.Sms => customer.Mobile, _ => customer.WeChatOpenId };
        if (string.IsNullOrEmpty(to)) return (null, $"the customer has no {channel} contact point");

        var published = await Published(session, tenant, invitation, ct);
        if (published is null) return (null, "the questionnaire version is gone");
        var definition = published.Definition;
        var locale = customer.PreferredLanguage is { } preferred && definition.Locales.Contains(preferred, StringComparer.OrdinalIgnoreCase) ? preferred : definition.DefaultLocale;
        var zh = locale.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
        var title = definition.Title.In(locale) ?? definition.Title.In(definition.DefaultLocale) ?? "";

        var token = await tokens.Issue(new InvitationClaims(tenant, invitation.Id, invitation.QuestionnaireId, invitation.ExpiresAt), ct);
        var baseUrl = (options.Value.PublicBaseUrl ?? "http://127.0.0.1:5080").TrimEnd('/');
        var url = $"{baseUrl}/s/{token}?ch={channel}";
        var dealer = invitation.DealerCode is { } code ? (await session.LoadAsync<DealerRecord>(code, ct))?.Dealer.Name.In(locale) : null;
        var sender = options.Value.SenderName ?? title;
        var unsubscribe = $"{baseUrl}/unsubscribe/{token}";
        string subject = title, text;
        string? html = null;
        if (kind == ChannelKind.Email)
        {
            // the customer, dealer, region and event fields of question piping, in the recipient's language
            var piping = await Respondents.Answering.PublicSources.PipingData(session, invitation, vault, ct);
            var fields = piping?.Invoke(locale) ?? new Dictionary<string, string>();
            var question = EmailTemplatesApi.NpsQuestionText(definition, locale) is { } q
                ? Survey.Domain.Questionnaires.Piping.Fill(q, name => fields.GetValueOrDefault(name))
                : null;
            var content = new InvitationEmailContent(locale, url, sender, unsubscribe, customer.Name, dealer, question);
            // the marketer's own email for this questionnaire and language, else the built-in one
            var own = (await session.LoadAsync<QuestionnaireEmailTemplates>(invitation.QuestionnaireId, ct))?.Locales
                .FirstOrDefault(t => t.Key.Equals(locale, StringComparison.OrdinalIgnoreCase)).Value;
            var mail = own is null ? InvitationEmail.Render(content) : InvitationEmail.Render(own, content, title, name => fields.GetValueOrDefault(name));
            (subject, text, html) = (mail.Subject, mail.Text, mail.Html);
        }
        else if (kind == ChannelKind.Sms)
        {
            // a signed token is ~250 characters: the SMS carries a short link instead
            var shortId = ShortLinks.IdFor(invitation.Id);
            await using (var global = store.LightweightSession())
            {
                global.Store(new ShortLink(shortId, tenant, invitation.Id));
                await global.SaveChangesAsync(ct);
            }
            text = SmsText.Invitation(new SmsInvitationContent(locale, sender, $"{baseUrl}/i/{shortId}", customer.Name, dealer));
        }
        else text = title;
        var data = new Dictionary<string, string> { ["thing1"] = Truncate(title, 20), ["thing2"] = zh ? "请花两分钟评价本次服务" : "Rate your visit (2 min)" };
        return (new OutgoingMessage(invitation.Id, tenant, kind, to, locale, subject, text, html, url, unsubscribe,
            $"pages/survey/index?token={token}", options.Value.WeChatTemplateId, data), null);
    }

    /// <summary>
    /// A published version never changes, and every invitation of a trigger needs the same one: kept once read (a few hundred
    /// versions at most; the cache starts over beyond that).
    /// </summary>
    private async Task<PublishedQuestionnaire?> Published(IQuerySession session, string tenant, Invitation invitation, CancellationToken ct)
    {
        var id = PublishedQuestionnaire.IdFor(invitation.QuestionnaireId, invitation.QuestionnaireVersion);
        if (_published.TryGetValue((tenant, id), out var known)) return known;
        var published = await session.LoadAsync<PublishedQuestionnaire>(id, ct);
        if (published is null) return null;
        if (_published.Count >= 500) _published.Clear();
        return _published[(tenant, id)] = published;
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
