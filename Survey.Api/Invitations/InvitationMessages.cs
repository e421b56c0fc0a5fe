using Marten;
using Microsoft.Extensions.Options;
using Survey.Api.Channels;
using Survey.Api.Operations;
using Survey.Api.Questionnaires;
using Survey.Api.Respondents;
using Survey.Domain.Invitations;

namespace Survey.Api.Invitations;

/// <summary>Turns an invitation into the message for one channel: the customer's contact point, a fresh signed link, texts in their language.</summary>
public sealed class InvitationMessages(InvitationTokens tokens, IOptions<RespondentOptions> options, Privacy.PersonalDataVault vault)
{
    /// <summary>
    /// A published version never changes, and every invitation of a trigger needs the same one: kept once read (a few hundred
    /// versions at most; the cache starts over beyond that).
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Tenant, string Id), PublishedQuestionnaire> _published = new();

    public static ChannelKind Kind(string channel) => channel switch
    {
        "email" => ChannelKind.Email,
        "sms" => ChannelKind.Sms,
        "miniProgram" => ChannelKind.MiniProgram,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Unknown channel."),
    };

    /// <summary>
    /// Everything the messages of these invitations read (customers in clear, dealers, regions, events, the marketer's e-mail
    /// templates and the published versions), in two round trips whatever the number of invitations.
    /// </summary>
    public async Task<MessageSources> Load(IQuerySession session, string tenant, IReadOnlyCollection<Invitation> invitations, CancellationToken ct)
    {
        var customerIds = invitations.Select(i => i.CustomerExternalId).OfType<string>().Distinct().ToArray();
        var dealerCodes = invitations.Select(i => i.DealerCode).OfType<string>().Distinct().ToArray();
        var eventIds = invitations.Select(i => i.EventExternalId).OfType<string>().Distinct().ToArray();
        var questionnaireIds = invitations.Select(i => i.QuestionnaireId).Distinct().ToArray();
        var published = new Dictionary<string, PublishedQuestionnaire>();
        foreach (var id in invitations.Select(i => PublishedQuestionnaire.IdFor(i.QuestionnaireId, i.QuestionnaireVersion)).Distinct())
            if (_published.TryGetValue((tenant, id), out var known)) published[id] = known;
        var versionIds = invitations.Select(i => PublishedQuestionnaire.IdFor(i.QuestionnaireId, i.QuestionnaireVersion)).Distinct()
            .Where(id => !published.ContainsKey(id)).ToArray();

        var batch = session.CreateBatchQuery();
        var customers = customerIds.Length > 0 ? batch.LoadMany<CustomerRecord>().ById(customerIds) : Task.FromResult<IReadOnlyList<CustomerRecord>>([]);
        var dealers = dealerCodes.Length > 0 ? batch.LoadMany<DealerRecord>().ById(dealerCodes) : Task.FromResult<IReadOnlyList<DealerRecord>>([]);
        var events = eventIds.Length > 0 ? batch.LoadMany<OperationalEventRecord>().ById(eventIds) : Task.FromResult<IReadOnlyList<OperationalEventRecord>>([]);
        var templates = questionnaireIds.Length > 0 ? batch.LoadMany<QuestionnaireEmailTemplates>().ById(questionnaireIds) : Task.FromResult<IReadOnlyList<QuestionnaireEmailTemplates>>([]);
        var versions = versionIds.Length > 0 ? batch.LoadMany<PublishedQuestionnaire>().ById(versionIds) : Task.FromResult<IReadOnlyList<PublishedQuestionnaire>>([]);
        // the customers' data keys in the same round trip (what DataKeys.Load reads), opened below
        var keyIds = customerIds.Select(Privacy.KeyIds.Customer).ToArray();
        var keys = keyIds.Length > 0 ? batch.LoadMany<Privacy.DataKey>().ById(keyIds) : Task.FromResult<IReadOnlyList<Privacy.DataKey>>([]);
        await batch.Execute(ct);

        var ring = vault.Keys.Open(tenant, (await keys).Select(k => (k.Id, k.Wrapped)));
        var dealerList = await dealers;
        var regionCodes = dealerList.Select(d => d.Dealer.RegionCode).Distinct().ToArray();
        var regions = regionCodes.Length > 0 ? await session.LoadManyAsync<RegionRecord>(ct, regionCodes) : [];
        foreach (var version in await versions)
        {
            if (_published.Count >= 500) _published.Clear();
            _published[(tenant, version.Id)] = published[version.Id] = version;
        }
        return new MessageSources(
            (await customers).ToDictionary(c => c.Id, c => Privacy.PersonalDataVault.Open(ring, c.Customer)),
            dealerList.ToDictionary(d => d.Id, d => d.Dealer),
            regions.ToDictionary(r => r.Id, r => r.Region),
            (await events).ToDictionary(e => e.Id, e => e.Event),
            (await templates).ToDictionary(t => t.Id),
            published);
    }

    /// <summary>
    /// The message, or null with a reason when the customer has no contact point for the channel any more. An SMS's short link
    /// is added to <paramref name="shortLinks"/>, for the caller to store before the message goes out.
    /// </summary>
    public async Task<(OutgoingMessage? Message, string? Problem)> Build(MessageSources sources, string tenant, Invitation invitation, string channel,
        ICollection<ShortLink> shortLinks, CancellationToken ct)
    {
        var customer = invitation.CustomerExternalId is { } id ? sources.Customers.GetValueOrDefault(id) : null;
        if (customer is null) return (null, "the customer is unknown");
        var kind = Kind(channel);
        var to = kind switch { ChannelKind.Email => customer.Email, ChannelKind.Sms => customer.Mobile, _ => customer.WeChatOpenId };
        if (string.IsNullOrEmpty(to)) return (null, $"the customer has no {channel} contact point");

        if (!sources.Published.TryGetValue(PublishedQuestionnaire.IdFor(invitation.QuestionnaireId, invitation.QuestionnaireVersion), out var published))
            return (null, "the questionnaire version is gone");
        var definition = published.Definition;
        var locale = customer.PreferredLanguage is { } preferred && definition.Locales.Contains(preferred, StringComparer.OrdinalIgnoreCase) ? preferred : definition.DefaultLocale;
        var zh = locale.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
        var title = definition.Title.In(locale) ?? definition.Title.In(definition.DefaultLocale) ?? "";

        var token = await tokens.Issue(new InvitationClaims(tenant, invitation.Id, invitation.QuestionnaireId, invitation.ExpiresAt), ct);
        var baseUrl = (options.Value.PublicBaseUrl ?? "http://127.0.0.1:5080").TrimEnd('/');
        var url = $"{baseUrl}/s/{token}?ch={channel}";
        var dealer = invitation.DealerCode is { } code ? sources.Dealers.GetValueOrDefault(code) : null;
        var dealerName = dealer?.Name.In(locale);
        var sender = options.Value.SenderName ?? title;
        var unsubscribe = $"{baseUrl}/unsubscribe/{token}";
        string subject = title, text;
        string? html = null;
        if (kind == ChannelKind.Email)
        {
            // the customer, dealer, region and event fields of question piping, in the recipient's language
            var region = dealer is not null ? sources.Regions.GetValueOrDefault(dealer.RegionCode) : null;
            var @event = invitation.EventExternalId is { } eventId ? sources.Events.GetValueOrDefault(eventId) : null;
            var fields = Respondents.Answering.PublicSources.PipingFields(customer, dealer, region, @event)(locale);
            var question = EmailTemplatesApi.NpsQuestionText(definition, locale) is { } q
                ? Survey.Domain.Questionnaires.Piping.Fill(q, name => fields.GetValueOrDefault(name))
                : null;
            var content = new InvitationEmailContent(locale, url, sender, unsubscribe, customer.Name, dealerName, question);
            // the marketer's own email for this questionnaire and language, else the built-in one
            var own = sources.Templates.GetValueOrDefault(invitation.QuestionnaireId)?.Locales
                .FirstOrDefault(t => t.Key.Equals(locale, StringComparison.OrdinalIgnoreCase)).Value;
            var mail = own is null ? InvitationEmail.Render(content) : InvitationEmail.Render(own, content, title, name => fields.GetValueOrDefault(name));
            (subject, text, html) = (mail.Subject, mail.Text, mail.Html);
        }
        else if (kind == ChannelKind.Sms)
        {
            // a signed token is ~250 characters: the SMS carries a short link instead
            var shortId = ShortLinks.IdFor(invitation.Id);
            shortLinks.Add(new ShortLink(shortId, tenant, invitation.Id));
            text = SmsText.Invitation(new SmsInvitationContent(locale, sender, $"{baseUrl}/i/{shortId}", customer.Name, dealerName));
        }
        else text = title;
        var data = new Dictionary<string, string> { ["thing1"] = Truncate(title, 20), ["thing2"] = zh ? "请花两分钟评价本次服务" : "Rate your visit (2 min)" };
        return (new OutgoingMessage(invitation.Id, tenant, kind, to, locale, subject, text, html, url, unsubscribe,
            $"pages/survey/index?token={token}", options.Value.WeChatTemplateId, data), null);
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}

/// <summary>What the messages of a batch of invitations read, loaded together (customers already in clear).</summary>
public sealed record MessageSources(
    IReadOnlyDictionary<string, Survey.Domain.Operations.Customer> Customers,
    IReadOnlyDictionary<string, Survey.Domain.Operations.Dealer> Dealers,
    IReadOnlyDictionary<string, Survey.Domain.Operations.Region> Regions,
    IReadOnlyDictionary<string, Survey.Domain.Operations.OperationalEvent> Events,
    IReadOnlyDictionary<Guid, QuestionnaireEmailTemplates> Templates,
    IReadOnlyDictionary<string, PublishedQuestionnaire> Published);
