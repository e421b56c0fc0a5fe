using System.Net.Mail;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Survey.Api.Http;
using Survey.Domain.Cases;
using Survey.Domain.Common;
using Survey.Domain.Operations;

namespace Survey.Api.Cases.Settings;

public sealed record RootCauseCode(string Code, LocalizedName Name);

/// <summary>
/// A tenant's closed-loop settings: the SLA, the root-cause code list, and who hears of escalations of cases without a region
/// (responses from links and widgets). One document per tenant.
/// </summary>
public sealed record CaseSettings(string Id, CaseSlaPolicy Sla, IReadOnlyList<RootCauseCode> RootCauses, IReadOnlyList<ManagerContact> EscalateTo, DateTimeOffset UpdatedAt)
{
    public const string DocumentId = "case-settings";

    public static CaseSettings Default => new(DocumentId, CaseSlaPolicy.Default, [], [], DateTimeOffset.MinValue);

    public static async Task<CaseSettings> Load(IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<CaseSettings>(DocumentId, ct) ?? Default;
}

public sealed record CaseSettingsRequest(CaseSlaPolicy? Sla, IReadOnlyList<RootCauseCode>? RootCauses, IReadOnlyList<ManagerContact>? EscalateTo);

public static class CaseSettingsEndpoints
{
    public static RouteGroupBuilder MapCaseSettings(this RouteGroupBuilder group)
    {
        group.MapGet("/settings", Get).WithName("GetCaseSettings").WithSummary("The tenant's case SLA, root-cause codes and fallback escalation contacts");
        group.MapPut("/settings", Put).RequireAuthorization(Security.Policies.Design).WithName("PutCaseSettings").WithSummary("Replace the tenant's case SLA, root-cause codes and fallback escalation contacts")
            .WithDescription("The SLA applies to cases opened (or reopened) afterwards; open cases keep the due times they were given.")
            .WithRequestExample("""{ "sla": { "firstContactHours": 24, "resolutionHours": 72 }, "rootCauses": [ { "code": "WAIT", "name": { "zh": "等待时间长", "en": "Long wait" } } ], "escalateTo": [ { "name": "Li Na", "email": "li.na@example.cn" } ] }""");
        return group;
    }

    private static async Task<Ok<CaseSettings>> Get(IQuerySession session, CancellationToken ct) => TypedResults.Ok(await CaseSettings.Load(session, ct));

    private static async Task<Ok<CaseSettings>> Put(CaseSettingsRequest request, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        var sla = request.Sla ?? CaseSlaPolicy.Default;
        var problems = sla.Check("sla").ToList();
        var codes = request.RootCauses ?? [];
        for (var i = 0; i < codes.Count; i++)
        {
            var code = codes[i]?.Code;
            if (code is null || code.Length is 0 or > 64 || !code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                problems.Add(new($"rootCauses[{i}].code", "invalid-code", "A code is 1-64 letters, digits, '-' or '_'."));
            else if (codes.Take(i).Any(c => c?.Code == code))
                problems.Add(new($"rootCauses[{i}].code", "duplicate-code", $"'{code}' is listed twice."));
            if (codes[i]?.Name is not { } name || string.IsNullOrWhiteSpace(name.Zh) || string.IsNullOrWhiteSpace(name.En))
                problems.Add(new($"rootCauses[{i}].name", "required", "A name in Chinese (zh) and English (en) is required."));
        }
        var contacts = request.EscalateTo ?? [];
        for (var i = 0; i < contacts.Count; i++)
            if (contacts[i] is null || !MailAddress.TryCreate(contacts[i].Email, out _))
                problems.Add(new($"escalateTo[{i}].email", "invalid-email", "A contact needs a valid e-mail address."));
        InvalidInputException.ThrowIfAny(problems);
        var settings = new CaseSettings(CaseSettings.DocumentId, sla, codes, contacts, time.GetUtcNow());
        session.Store(settings);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(settings);
    }
}
