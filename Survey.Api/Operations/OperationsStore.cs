using Marten;
using Survey.Api.Operations.Ingesting;
using Survey.Api.Security;
using Survey.Domain.Operations;

namespace Survey.Api.Operations;

/// <summary>O-data as documents, each keyed by the operational system's own id within the tenant.</summary>
/// <param name="EmailIndex">Keyed hash of the e-mail address (see Privacy): customers are found by contact point without storing it in clear.</param>
public sealed record CustomerRecord(string Id, Customer Customer, DateTimeOffset UpdatedAt, string? EmailIndex = null, string? MobileIndex = null, string? WeChatIndex = null);
public sealed record DealerRecord(string Id, Dealer Dealer, DateTimeOffset UpdatedAt);
public sealed record RegionRecord(string Id, Region Region, DateTimeOffset UpdatedAt);

/// <summary>An operational event, recorded once per external id however often it is sent.</summary>
public sealed record OperationalEventRecord(string Id, OperationalEvent Event, string Source, DateTimeOffset ReceivedAt);

public static class OperationsStore
{
    public static void Configure(StoreOptions marten)
    {
        marten.Schema.For<ApiKey>().SingleTenanted();
        marten.Schema.For<Invitations.ShortLink>().SingleTenanted();
        marten.Schema.For<OperationalEventRecord>().Index(e => e.Event.OccurredAt).Index(e => e.Event.CustomerExternalId);
        marten.Schema.For<ImportJob>();
        marten.Schema.For<CustomerRecord>().Index(c => c.EmailIndex!).Index(c => c.MobileIndex!).Index(c => c.WeChatIndex!);
    }
}
