using Marten;
using Survey.Domain.Invitations;

namespace Survey.Api.Respondents.Distribution;

public sealed partial class InvitationProjection : Marten.Events.Aggregation.SingleStreamProjection<Invitation, Guid>
{
    public static readonly Type[] Events =
    [
        typeof(InvitationCreated), typeof(InvitationResponded), typeof(InvitationScheduled), typeof(InvitationSuppressed), typeof(InvitationSendAttempted),
        typeof(InvitationSent), typeof(InvitationSendFailed), typeof(InvitationSendUncertain), typeof(InvitationDelivered), typeof(InvitationDeliveryFailed),
        typeof(InvitationOpened), typeof(InvitationExpired), typeof(InvitationReminded),
    ];

    public InvitationProjection()
    {
        foreach (var type in Events) IncludeType(type);
    }

    public override Invitation? Evolve(Invitation? snapshot, Guid id, JasperFx.Events.IEvent e) => InvitationDecider.Evolve(snapshot, e.Data);
}

public static class DistributionStore
{
    public static void Configure(StoreOptions marten)
    {
        marten.Schema.For<PublicAddress>().SingleTenanted();
        marten.Schema.For<TokenSigningKey>().SingleTenanted();
        marten.Schema.For<PublicLink>().Index(l => l.QuestionnaireId);
        marten.Events.AddEventTypes(InvitationProjection.Events);
        marten.Projections.Add<InvitationProjection>(JasperFx.Events.Projections.ProjectionLifecycle.Inline);
    }
}
