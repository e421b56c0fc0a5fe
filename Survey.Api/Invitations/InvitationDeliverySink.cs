using Marten;
using Microsoft.Extensions.Options;
using Survey.Api.Channels;
using Survey.Api.Storage;
using Survey.Domain.Invitations;

namespace Survey.Api.Invitations;

/// <summary>Provider status callbacks (already verified by the channel) move the invitation to delivered or failed.</summary>
public sealed class InvitationDeliverySink(IDocumentStore store, IOptions<StorageOptions> storage, ILogger<InvitationDeliverySink> logger) : IDeliveryStatusSink
{
    public async Task Record(DeliveryStatusUpdate update, CancellationToken ct)
    {
        if (update.State is not (DeliveryState.Delivered or DeliveryState.Failed or DeliveryState.Undelivered)) return;
        string? tenant = null;
        Guid id = default;
        await using (var query = store.QuerySession())
        {
            // provider ids are unique across tenants; the one cross-tenant lookup, by an indexed-free JSON field (few callbacks per send)
            var rows = await query.QueryAsync<string>(
                $"select d.tenant_id || '|' || d.id::text from {storage.Value.Schema}.mt_doc_invitation d where d.data ->> 'providerMessageId' = ? limit 1", ct, update.ProviderMessageId);
            if (rows.FirstOrDefault()?.Split('|') is [var t, var i]) (tenant, id) = (t, Guid.Parse(i));
        }
        if (tenant is null)
        {
            logger.LogInformation("Delivery update for an unknown message {ProviderMessageId}", update.ProviderMessageId);
            return;
        }
        await using var session = store.LightweightSession(tenant);
        var stream = await session.Events.FetchForWriting<Invitation>(id, ct);
        if (stream.Aggregate is not { } invitation || invitation.SentChannel is not { } channel) return;
        if (invitation.Timeline.Any(t => t.What is "delivered" or "delivery failed")) return; // callbacks repeat; record once
        stream.AppendOne(update.State == DeliveryState.Delivered
            ? new InvitationDelivered(id, channel, update.At)
            : new InvitationDeliveryFailed(id, channel, update.ErrorCode, update.At));
        await session.SaveChangesAsync(ct);
    }
}
