using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;
using Survey.Api.Cases.Settings;
using Survey.Domain.Cases;

namespace Survey.Api.Cases;

/// <summary>The case state doubles as its read model (the inbox queries it), kept inline with its events. Evolve is explicit (see QuestionnaireProjection).</summary>
public sealed partial class CaseProjection : SingleStreamProjection<Case, Guid>
{
    public static readonly Type[] Events =
    [
        typeof(CaseOpened), typeof(CaseAssigned), typeof(CaseContactLogged), typeof(CaseRootCauseCoded), typeof(CaseResolved),
        typeof(CaseCustomerResurveyed), typeof(CaseReopened), typeof(CaseEscalated), typeof(CaseEscalationNotified),
    ];

    public CaseProjection()
    {
        foreach (var type in Events) IncludeType(type);
    }

    public override Case? Evolve(Case? snapshot, Guid id, IEvent e) => CaseDecider.Evolve(snapshot, e.Data);
}

/// <summary>A case rule's latest version, inline; every version stays in its stream.</summary>
public sealed partial class CaseRuleProjection : SingleStreamProjection<CaseRule, Guid>
{
    public static readonly Type[] Events = [typeof(CaseRuleDefined), typeof(CaseRuleRetired)];

    public CaseRuleProjection()
    {
        foreach (var type in Events) IncludeType(type);
    }

    public override CaseRule? Evolve(CaseRule? snapshot, Guid id, IEvent e) => CaseRuleDecider.Evolve(snapshot, e.Data);
}

public static class CaseStore
{
    public static void Configure(StoreOptions marten)
    {
        marten.Events.AddEventTypes(CaseProjection.Events);
        marten.Events.AddEventTypes(CaseRuleProjection.Events);
        marten.Projections.Add<CaseProjection>(ProjectionLifecycle.Inline);
        marten.Projections.Add<CaseRuleProjection>(ProjectionLifecycle.Inline);
        marten.Schema.For<Case>().Index(c => c.DealerCode).Index(c => c.RegionCode).Index(c => c.OpenedAt).Index(c => c.CustomerExternalId);
        marten.Schema.For<CaseRule>();
        marten.Schema.For<CaseSettings>();
    }
}
