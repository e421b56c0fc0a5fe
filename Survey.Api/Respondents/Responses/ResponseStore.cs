using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;
using Survey.Domain.Responses;

namespace Survey.Api.Respondents.Responses;

/// <summary>The response state doubles as its read model, kept inline with its events (see QuestionnaireProjection for why Evolve is explicit).</summary>
public sealed partial class ResponseProjection : SingleStreamProjection<Response, Guid>
{
    public static readonly Type[] Events = [typeof(ResponseStarted), typeof(ResponseAnswersSaved), typeof(ResponseCompleted), typeof(ResponseAbandoned)];

    public ResponseProjection()
    {
        foreach (var type in Events) IncludeType(type);
    }

    public override Response? Evolve(Response? snapshot, Guid id, IEvent e) => ResponseDecider.Evolve(snapshot, e.Data);
}

public static class ResponseStore
{
    public static void Configure(StoreOptions marten)
    {
        marten.Events.AddEventTypes(ResponseProjection.Events);
        marten.Projections.Add<ResponseProjection>(ProjectionLifecycle.Inline);
        // Every answer save rewrites its response's document (SaveBatchSql). With no index reading the JSON, that rewrite can be a
        // HOT update (the new row version on the same page, no new index entries; EventStoreSetup leaves room on the pages): the
        // questionnaire is a column of its own, which never changes after the start, and nothing indexes the last activity,
        // which every save changes. (The console's list orders by it after filtering on the questionnaire, whose rows it counts
        // anyway for the page total.)
        marten.Schema.For<Response>().Duplicate(r => r.QuestionnaireId);
    }
}
