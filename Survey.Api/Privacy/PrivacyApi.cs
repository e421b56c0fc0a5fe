using Survey.Api.Security;
using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Survey.Api.Http;
using Survey.Api.Operations;
using Survey.Api.Operations.Ingesting;
using Survey.Api.Privacy.Erasing;
using Survey.Api.Privacy.Exporting;
using Survey.Api.Privacy.Retention;
using Survey.Api.Storage;
using Survey.Domain.Common;
using Survey.Domain.Operations;
using Survey.Domain.Privacy;

namespace Survey.Api.Privacy;

/// <summary>A customer as the console shows them: contact points in clear for roles allowed to see them, masked otherwise.</summary>
public sealed record CustomerView(string ExternalId, Customer Customer, bool Masked, DateTimeOffset UpdatedAt);

public sealed record RetentionRequest(int Months);

/// <summary>Personal data of customers: look-up by contact point, access requests, erasure, retention.</summary>
public static class PrivacyApi
{
    public static RouteGroupBuilder MapPrivacyApi(this IEndpointRouteBuilder app)
    {
        // looking customers up: tenant-wide readers (analysts see contact points masked); everything else: administrators
        var group = app.MapGroup("/api/privacy").WithTags("Privacy").RequireReadWrite(Security.Policies.DesignRead, Security.Policies.Administrator);
        group.MapGet("/customers/{externalId}", Get).WithName("GetCustomer")
            .WithSummary("One customer; analysts and dealer staff see phone and e-mail masked (138****5678, a***@example.com)");
        group.MapGet("/customers", Find).WithName("FindCustomers")
            .WithSummary("Find customers by ?email= or ?phone= (matched through a keyed hash, never the stored clear value)");
        // administrators only: the sign-in feature's policy goes on `admin` (one line, see below)
        var admin = group.MapGroup("/").RequireAuthorization(Security.Policies.Administrator);
        admin.MapGet("/customers/{externalId}/export", Export).WithName("ExportCustomerData")
            .WithSummary("Everything held about one customer as JSON (data subject access request)");
        admin.MapPost("/customers/{externalId}/erasure", Erase).WithName("EraseCustomer")
            .WithSummary("Erase one customer: their data keys are destroyed, personal fields dropped, pending invitations cancelled");
        admin.MapGet("/retention", GetRetention).WithName("GetRetention").WithSummary("How many months responses and operational events are kept (0 = kept)");
        admin.MapPut("/retention", SetRetention).WithName("SetRetention")
            .WithSummary("Keep responses and operational events for N months; older ones are anonymised by the daily privacy:retention job")
            .WithRequestExample("""{ "months": 24 }""");
        return admin;
    }

    private static async Task<Ok<CustomerView>> Get(string externalId, IQuerySession session, PersonalDataVault vault, ClaimsPrincipal user, CancellationToken ct)
    {
        var record = await session.LoadAsync<CustomerRecord>(externalId, ct) ?? throw new NotFoundException($"Customer {externalId} is not known.");
        return TypedResults.Ok(await View(session, vault, user, record, ct));
    }

    private static async Task<CustomerView> View(IQuerySession session, PersonalDataVault vault, ClaimsPrincipal user, CustomerRecord record, CancellationToken ct)
    {
        var clear = (await vault.Open(session, record.Customer, ct, erasedAs: PersonalDataVault.Erased))!;
        return new CustomerView(record.Id, PrivacyRoles.ForViewer(user, clear), PrivacyRoles.SeesMaskedContacts(user), record.UpdatedAt);
    }

    private static async Task<Ok<List<CustomerView>>> Find(string? email, string? phone, IQuerySession session, PersonalDataVault vault, ClaimsPrincipal user,
        Microsoft.Extensions.Options.IOptions<OperationsOptions> operations, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(email) == string.IsNullOrWhiteSpace(phone))
            throw new InvalidInputException([new("email", "one-of", "Give either ?email= or ?phone=.")]);
        var index = vault.Keys.IndexKey(session.TenantId);
        List<CustomerRecord> found;
        if (!string.IsNullOrWhiteSpace(email))
        {
            var hash = BlindIndex.Email(index, email);
            found = [.. await session.Query<CustomerRecord>().Where(c => c.EmailIndex == hash).Take(100).ToListAsync(ct)];
        }
        else
        {
            var e164 = EventValidation.ToE164(phone!, operations.Value.DefaultPhoneRegion)
                ?? throw new InvalidInputException([new("phone", "invalid-phone", "phone is not a valid phone number.")]);
            var hash = BlindIndex.Phone(index, e164);
            found = [.. await session.Query<CustomerRecord>().Where(c => c.MobileIndex == hash).Take(100).ToListAsync(ct)];
        }
        var views = new List<CustomerView>();
        foreach (var record in found) views.Add(await View(session, vault, user, record, ct));
        return TypedResults.Ok(views);
    }

    private static async Task<Ok<SubjectAccessExport>> Export(string externalId, IQuerySession session, PersonalDataVault vault, TimeProvider time, CancellationToken ct) =>
        TypedResults.Ok(await SubjectAccess.Export(session, vault, externalId, time.GetUtcNow(), ct));

    private static async Task<Ok<ErasureReport>> Erase(string externalId, CustomerErasure erasure, Tenancy tenancy, CancellationToken ct) =>
        TypedResults.Ok(await erasure.Erase(tenancy.TenantId, externalId, ct));

    private static async Task<Ok<RetentionRequest>> GetRetention(IQuerySession session, Microsoft.Extensions.Options.IOptions<PrivacyOptions> options, CancellationToken ct) =>
        TypedResults.Ok(new RetentionRequest((await session.LoadAsync<RetentionPolicy>(RetentionPolicy.TheId, ct))?.Months ?? options.Value.RetentionMonths));

    private static async Task<Ok<RetentionRequest>> SetRetention(RetentionRequest request, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        if (request.Months is < 0 or > 1200) throw new InvalidInputException([new("months", "out-of-range", "months is 0 (keep) to 1200.")]);
        session.Store(new RetentionPolicy(RetentionPolicy.TheId, request.Months, time.GetUtcNow()));
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(request);
    }
}
