using System.Net.Mail;
using PhoneNumbers;
using Survey.Domain.Common;
using Survey.Domain.Operations;

namespace Survey.Api.Operations.Ingesting;

/// <summary>One event as integrators send it (JSON or a CSV row); customer fields travel with the event.</summary>
public sealed record IncomingEvent(
    string? ExternalId, string? Type, DateTimeOffset? OccurredAt, string? DealerCode,
    IncomingCustomer? Customer, IReadOnlyDictionary<string, string>? Attributes);

public sealed record IncomingCustomer(
    string? ExternalId, string? Name = null, string? Email = null, string? Mobile = null, string? WeChatOpenId = null,
    string? PreferredLanguage = null, string? TimeZone = null, IReadOnlyList<Consent>? Consents = null);

/// <summary>Checks and normalises one incoming event: phone numbers to E.164, e-mail addresses validated, every problem listed.</summary>
public static class EventValidation
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    public static (OperationalEvent? Event, Customer? Customer, IReadOnlyList<InputProblem> Problems) Check(IncomingEvent e, string defaultRegion, DateTimeOffset now)
    {
        var problems = new List<InputProblem>();
        if (string.IsNullOrWhiteSpace(e.ExternalId) || e.ExternalId.Length > 128) problems.Add(new("externalId", "required", "externalId (1-128 characters) is required."));
        if (string.IsNullOrWhiteSpace(e.Type) || e.Type.Length > 100 || !e.Type.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            problems.Add(new("type", "invalid-type", "type is 1-100 letters, digits, '.', '_' or '-', e.g. service.completed."));
        if (e.OccurredAt is null) problems.Add(new("occurredAt", "required", "occurredAt (ISO 8601 with offset) is required."));
        else if (e.OccurredAt > now.AddDays(1)) problems.Add(new("occurredAt", "in-future", "occurredAt is more than a day in the future."));
        if (e.DealerCode is { Length: > 64 }) problems.Add(new("dealerCode", "too-long", "dealerCode holds at most 64 characters."));
        if (e.Attributes is { Count: > 100 }) problems.Add(new("attributes", "too-many", "At most 100 attributes."));
        foreach (var (key, value) in e.Attributes ?? new Dictionary<string, string>())
            if (key.Length is 0 or > 64 || value?.Length > 1000) problems.Add(new($"attributes.{key}", "invalid", "Attribute names hold 1-64 characters, values up to 1000."));

        Customer? customer = null;
        var c = e.Customer;
        if (c is null || string.IsNullOrWhiteSpace(c.ExternalId) || c.ExternalId.Length > 128)
            problems.Add(new("customer.externalId", "required", "customer.externalId (1-128 characters) is required."));
        else
        {
            string? email = null, mobile = null;
            if (!string.IsNullOrWhiteSpace(c.Email))
            {
                if (MailAddress.TryCreate(c.Email.Trim(), out var address) && address.Address == c.Email.Trim() && address.Host.Contains('.')) email = address.Address;
                else problems.Add(new("customer.email", "invalid-email", "customer.email is not a valid e-mail address."));
            }
            if (!string.IsNullOrWhiteSpace(c.Mobile))
            {
                using (IngestPhases.Measure("validate: phone"))
                    mobile = ToE164(c.Mobile, defaultRegion);
                if (mobile is null) problems.Add(new("customer.mobile", "invalid-phone", $"customer.mobile is not a valid phone number (without a +country code it is read as {defaultRegion})."));
            }
            if (c.PreferredLanguage is { } language && language is not ("zh-CN" or "en"))
                problems.Add(new("customer.preferredLanguage", "unknown-language", "preferredLanguage is zh-CN or en."));
            if (c.TimeZone is { } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
                problems.Add(new("customer.timeZone", "unknown-time-zone", "timeZone is an IANA zone such as Asia/Shanghai."));
            customer = new Customer(c.ExternalId.Trim(), c.Name?.Trim(), email, mobile, string.IsNullOrWhiteSpace(c.WeChatOpenId) ? null : c.WeChatOpenId.Trim(),
                c.Consents ?? [], c.PreferredLanguage, c.TimeZone);
        }
        if (problems.Count > 0) return (null, null, problems);
        var @event = new OperationalEvent(e.ExternalId!.Trim(), e.Type!, e.OccurredAt!.Value, customer!.ExternalId, e.DealerCode?.Trim(),
            e.Attributes ?? new Dictionary<string, string>());
        return (@event, customer, problems);
    }

    public static string? ToE164(string raw, string defaultRegion)
    {
        try
        {
            var number = Phones.Parse(raw, defaultRegion);
            return Phones.IsValidNumber(number) ? Phones.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException) { return null; }
    }

    /// <summary>
    /// Fields sent now win; consents accumulate as a history of decisions per channel, so the latest decision stands. A consent
    /// that repeats the decision before it (every CSV row of a returning customer restates it) is not a new entry: the history
    /// keeps when and how each decision was first given, and a customer's record does not grow with every visit.
    /// </summary>
    public static Customer Merge(Customer? existing, Customer incoming) => existing is null ? incoming : new Customer(
        existing.ExternalId,
        incoming.Name ?? existing.Name,
        incoming.Email ?? existing.Email,
        incoming.Mobile ?? existing.Mobile,
        incoming.WeChatOpenId ?? existing.WeChatOpenId,
        Decisions(existing.Consents.Concat(incoming.Consents)),
        incoming.PreferredLanguage ?? existing.PreferredLanguage,
        incoming.TimeZone ?? existing.TimeZone,
        existing.OptedOut || incoming.OptedOut);

    /// <summary>Consents in time order with repeats of the same decision on a channel dropped (the first of each run is kept).</summary>
    public static IReadOnlyList<Consent> Decisions(IEnumerable<Consent> consents)
    {
        var kept = new List<Consent>();
        var last = new Dictionary<Channel, bool>();
        foreach (var consent in consents.OrderBy(c => c.At).ThenBy(c => c.Given))
        {
            if (last.TryGetValue(consent.Channel, out var given) && given == consent.Given) continue;
            last[consent.Channel] = consent.Given;
            kept.Add(consent);
        }
        return kept;
    }
}
