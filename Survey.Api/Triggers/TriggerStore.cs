using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;
using Survey.Domain.Triggers;

namespace Survey.Api.Triggers;

/// <summary>The trigger state doubles as its read model (see QuestionnaireProjection for why Evolve is explicit).</summary>
public sealed partial class TriggerProjection : SingleStreamProjection<Trigger, Guid>
{
    public static readonly Type[] Events =
        [typeof(TriggerCreated), typeof(TriggerDraftEdited), typeof(TriggerPublished), typeof(TriggerPaused), typeof(TriggerResumed), typeof(TriggerArchived)];

    public TriggerProjection()
    {
        foreach (var type in Events) IncludeType(type);
    }

    public override Trigger? Evolve(Trigger? snapshot, Guid id, IEvent e) => TriggerDecider.Evolve(snapshot, e.Data);
}

public static class TriggerStore
{
    public static void Configure(StoreOptions marten)
    {
        marten.Events.AddEventTypes(TriggerProjection.Events);
        marten.Projections.Add<TriggerProjection>(ProjectionLifecycle.Inline);
    }
}
