using Survey.Domain.Common;

namespace Survey.Domain.Questionnaires;

public abstract record QuestionnaireCommand;
public sealed record CreateQuestionnaire(Guid QuestionnaireId, QuestionnaireDefinition Definition, string Source = "api") : QuestionnaireCommand;
public sealed record ChangeQuestionnaireDetails(LocalizedText Title, LocalizedText? Description, string DefaultLocale, IReadOnlyList<string> Locales) : QuestionnaireCommand;
/// <param name="Position">0-based index to insert at; null appends.</param>
public sealed record AddQuestion(Question Question, int? Position = null) : QuestionnaireCommand;
public sealed record EditQuestion(string QuestionId, Question Question) : QuestionnaireCommand;
public sealed record ReorderQuestions(IReadOnlyList<string> Order) : QuestionnaireCommand;
public sealed record RemoveQuestion(string QuestionId) : QuestionnaireCommand;
/// <param name="Texts">Text per key (see <see cref="Translations"/>); an empty text removes the translation.</param>
public sealed record TranslateQuestionnaire(string Locale, IReadOnlyDictionary<string, string?> Texts) : QuestionnaireCommand;
public sealed record ReplaceDraft(QuestionnaireDefinition Definition, string Source) : QuestionnaireCommand;
public sealed record PublishQuestionnaire : QuestionnaireCommand;
public sealed record ArchiveQuestionnaire : QuestionnaireCommand;

/// <summary>
/// Decides what a command on a questionnaire records. Every edit is checked against the whole resulting draft,
/// so a change that would leave logic pointing at a removed question is refused with all its problems.
/// </summary>
public static class QuestionnaireDecider
{
    public static object[] Decide(QuestionnaireCommand command, Questionnaire? state, DateTimeOffset now)
    {
        if (command is CreateQuestionnaire create)
        {
            if (state is not null) throw new RuleViolationException("already-exists", $"Questionnaire {create.QuestionnaireId} already exists.");
            InvalidInputException.ThrowIfAny(QuestionnaireValidator.Validate(create.Definition));
            return [new QuestionnaireCreated(create.QuestionnaireId, create.Definition, create.Source, now)];
        }

        if (state is null) throw new NotFoundException("The questionnaire does not exist.");
        if (state.Archived) throw new RuleViolationException("archived", "The questionnaire is archived and can no longer change.");
        var id = state.Id;

        object decided = command switch
        {
            ChangeQuestionnaireDetails c => new QuestionnaireDetailsChanged(id, c.Title, c.Description, c.DefaultLocale, c.Locales, now),
            AddQuestion c => Add(state, c, now),
            EditQuestion c => Edit(state, c, now),
            ReorderQuestions c => Reorder(state, c, now),
            RemoveQuestion c => state.Draft.Find(c.QuestionId) is null
                ? throw new NotFoundException($"Question '{c.QuestionId}' is not in the draft.")
                : new QuestionRemoved(id, c.QuestionId, now),
            TranslateQuestionnaire c => Translate(state, c, now),
            ReplaceDraft c => new QuestionnaireDraftReplaced(id, c.Definition, c.Source, now),
            PublishQuestionnaire => Publish(state, now),
            ArchiveQuestionnaire => new QuestionnaireArchived(id, now),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name),
        };

        if (decided is not (QuestionnairePublished or QuestionnaireArchived))
            EnsureValidDraft(Evolve(state, decided).Draft, command);
        return [decided];
    }

    public static Questionnaire Evolve(Questionnaire? state, object @event) => (state, @event) switch
    {
        (null, QuestionnaireCreated e) => Questionnaire.From(e),
        (not null, QuestionnaireDetailsChanged e) => state.With(e),
        (not null, QuestionAdded e) => state.With(e),
        (not null, QuestionEdited e) => state.With(e),
        (not null, QuestionsReordered e) => state.With(e),
        (not null, QuestionRemoved e) => state.With(e),
        (not null, QuestionnaireTranslated e) => state.With(e),
        (not null, QuestionnaireDraftReplaced e) => state.With(e),
        (not null, QuestionnairePublished e) => state.With(e),
        (not null, QuestionnaireArchived e) => state.With(e),
        _ => throw new InvalidOperationException($"{@event.GetType().Name} cannot apply to {(state is null ? "a missing" : "an existing")} questionnaire."),
    };

    private static QuestionAdded Add(Questionnaire state, AddQuestion c, DateTimeOffset now)
    {
        var count = state.Draft.Questions.Count;
        if (c.Position is { } p && (p < 0 || p > count))
            throw new InvalidInputException([new("position", "out-of-range", $"Position runs from 0 to {count}.")]);
        return new QuestionAdded(state.Id, c.Question, c.Position ?? count, now);
    }

    private static QuestionEdited Edit(Questionnaire state, EditQuestion c, DateTimeOffset now)
    {
        if (state.Draft.Find(c.QuestionId) is null) throw new NotFoundException($"Question '{c.QuestionId}' is not in the draft.");
        if (c.Question.Id != c.QuestionId)
            throw new InvalidInputException([new("id", "immutable", "A question's id cannot change; remove it and add a new one.")]);
        return new QuestionEdited(state.Id, c.Question, now);
    }

    private static QuestionsReordered Reorder(Questionnaire state, ReorderQuestions c, DateTimeOffset now)
    {
        var current = state.Draft.Questions.Select(q => q.Id).ToHashSet();
        var order = c.Order ?? [];
        if (order.Count != current.Count || !order.ToHashSet().SetEquals(current) || order.Distinct().Count() != order.Count)
            throw new InvalidInputException([new("order", "not-a-permutation", $"The order must list each of the {current.Count} question ids exactly once.")]);
        return new QuestionsReordered(state.Id, order, now);
    }

    private static QuestionnaireTranslated Translate(Questionnaire state, TranslateQuestionnaire c, DateTimeOffset now)
    {
        _ = Translations.Apply(state.Draft, c.Locale, c.Texts); // refuses unknown keys and locales before anything is recorded
        var tag = state.Draft.Locales.First(l => l.Equals(c.Locale, StringComparison.OrdinalIgnoreCase));
        return new QuestionnaireTranslated(state.Id, tag, c.Texts, now);
    }

    private static QuestionnairePublished Publish(Questionnaire state, DateTimeOffset now)
    {
        if (!state.HasUnpublishedChanges)
            throw new RuleViolationException("nothing-to-publish", $"The draft is identical to version {state.LatestPublishedVersion}.");
        InvalidInputException.ThrowIfAny(QuestionnaireValidator.Validate(state.Draft, forPublish: true));
        return new QuestionnairePublished(state.Id, state.DraftVersion, state.Draft, now);
    }

    private static void EnsureValidDraft(QuestionnaireDefinition draft, QuestionnaireCommand command)
    {
        var problems = QuestionnaireValidator.Validate(draft);
        if (problems.Count == 0) return;
        // A removal or reordering that breaks logic is a conflict with the rest of the draft, not a malformed request.
        if (command is RemoveQuestion or ReorderQuestions)
            throw new RuleViolationException("breaks-logic", string.Join(" ", problems.Select(p => $"{p.Path}: {p.Message}")));
        throw new InvalidInputException(problems);
    }
}
