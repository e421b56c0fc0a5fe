using Marten;
using Survey.Api.Operations;
using Survey.Api.Privacy.Erasing;
using Survey.Domain.Invitations;
using Survey.Domain.Operations;
using Survey.Domain.Responses;

namespace Survey.Api.Privacy.Exporting;

/// <summary>Everything held about one customer (data subject access request), personal fields in clear or "[erased]".</summary>
public sealed record SubjectAccessExport(
    string CustomerExternalId,
    DateTimeOffset ExportedAt,
    DateTimeOffset? ErasedAt,
    Customer? Customer,
    IReadOnlyList<OperationalEvent> OperationalEvents,
    IReadOnlyList<Invitation> Invitations,
    IReadOnlyList<Response> Responses);

public static class SubjectAccess
{
    public static async Task<SubjectAccessExport> Export(IQuerySession session, PersonalDataVault vault, string customerExternalId, DateTimeOffset now, CancellationToken ct)
    {
        var record = await session.LoadAsync<CustomerRecord>(customerExternalId, ct);
        var erasure = await session.LoadAsync<Erasure>(customerExternalId, ct);
        var events = await session.Query<OperationalEventRecord>().Where(e => e.Event.CustomerExternalId == customerExternalId)
            .OrderBy(e => e.Event.OccurredAt).ToListAsync(ct);
        var invitations = await session.Query<Invitation>().Where(i => i.CustomerExternalId == customerExternalId).OrderBy(i => i.CreatedAt).ToListAsync(ct);
        if (record is null && erasure is null && events.Count == 0 && invitations.Count == 0)
            throw new Survey.Domain.Common.NotFoundException($"Customer {customerExternalId} is not known.");
        var responses = invitations.Count == 0 ? [] : await vault.Open(session, await CustomerErasure.ResponsesOf(session, invitations.Select(i => i.Id).ToList(), ct), ct);
        var customer = record is null ? null : await vault.Open(session, record.Customer, ct, erasedAs: PersonalDataVault.Erased);
        return new SubjectAccessExport(customerExternalId, now, erasure?.ErasedAt, customer, events.Select(e => e.Event).ToList(), invitations,
            responses.OrderBy(r => r.StartedAt).ToList());
    }
}
