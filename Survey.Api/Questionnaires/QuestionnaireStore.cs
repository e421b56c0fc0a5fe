using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten.Events.Aggregation;
using Marten;
using Marten.Events.Projections;
using Survey.Domain.Questionnaires;

namespace Survey.Api.Questionnaires;

/// <summary>
/// A published version as its own document, id <c>{questionnaireId}:{version}</c>. Responses reference it; it never changes.
/// </summary>
public sealed record PublishedQuestionnaire(string Id, Guid QuestionnaireId, int Version, QuestionnaireDefinition Definition, DateTimeOffset PublishedAt)
{
    public static string IdFor(Guid questionnaireId, int version) => $"{questionnaireId}:{version}";
}

public sealed partial class PublishedQuestionnaireProjection : EventProjection
{
    public PublishedQuestionnaire Create(QuestionnairePublished e) =>
        new(PublishedQuestionnaire.IdFor(e.QuestionnaireId, e.Version), e.QuestionnaireId, e.Version, e.Definition, e.PublishedAt);
}

/// <summary>
/// Marten 9 dispatches conventional Apply/Create methods through a source generator that runs in the aggregate's own
/// assembly; Survey.Domain stays free of Marten, so this projection calls the domain's Evolve explicitly instead.
/// </summary>
public sealed partial class QuestionnaireProjection : SingleStreamProjection<Questionnaire, Guid>
{
    public static readonly Type[] Events =
    [
        typeof(QuestionnaireCreated), typeof(QuestionnaireDetailsChanged), typeof(QuestionAdded), typeof(QuestionEdited),
        typeof(QuestionsReordered), typeof(QuestionRemoved), typeof(QuestionnaireTranslated), typeof(QuestionnaireDraftReplaced),
        typeof(QuestionnairePublished), typeof(QuestionnaireArchived),
    ];

    // With an explicit Evolve, Marten cannot tell which events are ours: say so, or every stream's events arrive here.
    public QuestionnaireProjection()
    {
        foreach (var type in Events) IncludeType(type);
    }

    public override Questionnaire? Evolve(Questionnaire? snapshot, Guid id, IEvent e) => QuestionnaireDecider.Evolve(snapshot, e.Data);
}

public static class QuestionnaireStore
{
    public static void Configure(StoreOptions marten)
    {
        // The questionnaire state doubles as its read model: a snapshot kept in the same transaction as the events.
        marten.Events.AddEventTypes(QuestionnaireProjection.Events);
        marten.Projections.Add<QuestionnaireProjection>(ProjectionLifecycle.Inline);
        marten.Projections.Add<PublishedQuestionnaireProjection>(ProjectionLifecycle.Inline);
        marten.Schema.For<Questionnaire>().Index(q => q.UpdatedAt);
        marten.Schema.For<PublishedQuestionnaire>().Index(p => p.QuestionnaireId);
    }
}
