using Marten;
using Microsoft.Extensions.Options;
using Survey.Api.Channels;
using Survey.Api.Invitations;
using Survey.Api.Operations;
using Survey.Domain.Invitations;
using Survey.Domain.Privacy;
using Survey.Domain.Responses;

namespace Survey.Api.Privacy.Erasing;

/// <summary>What an erasure did (ids and counts only).</summary>
public sealed record ErasureReport(string CustomerExternalId, int KeysDestroyed, int ResponsesScrubbed, int InvitationsCancelled, int OutboxFilesDeleted, DateTimeOffset ErasedAt);

/// <summary>The record that a customer was erased: ids only, so a later access request can say so.</summary>
public sealed record Erasure(string Id, DateTimeOffset ErasedAt, int KeysDestroyed);

/// <summary>
/// Erases one customer: destroys their data keys (the customer's and those of their responses), so every sealed copy in events
/// and documents is unreadable; drops the sealed fields from the documents that hold them (customer record, responses);
/// cancels invitations still waiting to be sent; deletes their outbox files. Safe to run twice.
/// </summary>
public sealed class CustomerErasure(IDocumentStore store, DueInvitations due, IOptions<ChannelOptions> channels, TimeProvider time, DataKeys dataKeys)
{
    public async Task<ErasureReport> Erase(string tenant, string customerExternalId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var session = store.LightweightSession(tenant);
        var subject = KeyIds.Customer(customerExternalId);
        var record = await session.LoadAsync<CustomerRecord>(customerExternalId, ct);
        var invitations = await session.Query<Invitation>().Where(i => i.CustomerExternalId == customerExternalId).ToListAsync(ct);
        if (record is null && invitations.Count == 0) throw new Survey.Domain.Common.NotFoundException($"Customer {customerExternalId} is not known.");

        var keys = await session.Query<DataKey>().Where(k => k.Subject == subject).ToListAsync(ct);
        foreach (var key in keys) session.Delete(key);

        if (record is not null)
            session.Store(record with
            {
                Customer = record.Customer with { Name = null, Email = null, Mobile = null, WeChatOpenId = null, OptedOut = true },
                EmailIndex = null, MobileIndex = null, WeChatIndex = null, UpdatedAt = now,
            });

        var invitationIds = invitations.Select(i => i.Id).ToList();
        var responses = invitationIds.Count == 0 ? [] : await ResponsesOf(session, invitationIds, ct);
        foreach (var response in responses.Where(PersonalDataVault.HasSealedText)) session.Store(Scrub(response));
        session.Store(new Erasure(customerExternalId, now, keys.Count));
        await session.SaveChangesAsync(ct);
        dataKeys.Forget(tenant, keys.Select(k => k.Id)); // this node's save-path cache (DataKeys)

        var cancelled = 0;
        foreach (var invitation in invitations.Where(i => i.Status is InvitationStatus.Scheduled or InvitationStatus.Sending or InvitationStatus.Sent))
        {
            await due.Done(invitation.Id, ct); // nothing more goes out: no send, no reminder
            cancelled++;
        }
        var files = DeleteOutboxFiles(invitationIds);
        return new ErasureReport(customerExternalId, keys.Count, responses.Count(PersonalDataVault.HasSealedText), cancelled, files, now);
    }

    public static async Task<IReadOnlyList<Response>> ResponsesOf(IQuerySession session, IReadOnlyList<Guid> invitationIds, CancellationToken ct)
    {
        var ids = invitationIds.Select(i => (Guid?)i).ToArray();
        return await session.Query<Response>().Where(r => ids.Contains(r.Source.InvitationId)).ToListAsync(ct);
    }

    /// <summary>The response document without its sealed texts (the events keep theirs, unreadable without the key).</summary>
    public static Response Scrub(Response response) => response with
    {
        Answers = response.Answers.ToDictionary(a => a.Key, a => Envelope.IsSealed(a.Value.Text) ? a.Value with { Text = PersonalDataVault.Erased } : a.Value),
    };

    private int DeleteOutboxFiles(IReadOnlyList<Guid> invitationIds)
    {
        var root = Path.GetFullPath(channels.Value.OutboxDirectory);
        if (invitationIds.Count == 0 || !Directory.Exists(root)) return 0;
        var deleted = 0;
        foreach (var id in invitationIds)
            foreach (var file in Directory.EnumerateFiles(root, $"{id:D}.*", SearchOption.AllDirectories))
            {
                File.Delete(file);
                deleted++;
            }
        return deleted;
    }
}
