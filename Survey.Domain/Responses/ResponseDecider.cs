using Survey.Domain.Common;
using Survey.Domain.Questionnaires;

namespace Survey.Domain.Responses;

public abstract record ResponseCommand;
public sealed record StartResponse(Guid ResponseId, Guid QuestionnaireId, int QuestionnaireVersion, ResponseSource Source, string Channel, string Locale, string? Device, string? PageUrl) : ResponseCommand;
public sealed record SaveAnswers(int Sequence, IReadOnlyDictionary<string, Answer?> Answers) : ResponseCommand;
public sealed record CompleteResponse(int Sequence, IReadOnlyDictionary<string, Answer?> Answers) : ResponseCommand;
public sealed record AbandonResponse(TimeSpan IdleTime) : ResponseCommand;

/// <summary>
/// Decides what a respondent's request records. Retries are safe: a start with the same source, a save or completion
/// with a number already applied, decide nothing. <paramref name="definition"/> is the exact version answered.
/// </summary>
public static class ResponseDecider
{
    public const int MaxSequence = 10_000;

    public static object[] Decide(ResponseCommand command, Response? state, QuestionnaireDefinition definition, DateTimeOffset now)
    {
        if (command is StartResponse start)
        {
            if (state is null)
                return [new ResponseStarted(start.ResponseId, start.QuestionnaireId, start.QuestionnaireVersion, start.Source, start.Channel, start.Locale, start.Device, start.PageUrl, now)];
            if (state.Source == start.Source && state.QuestionnaireId == start.QuestionnaireId) return [];
            throw new RuleViolationException("response-id-taken", "This response id is already used for another survey.");
        }

        if (state is null) throw new NotFoundException("This response was never started.");

        switch (command)
        {
            case SaveAnswers save:
                CheckSequence(save.Sequence);
                if (state.Saves.TryGetValue(save.Sequence, out var fingerprint))
                    return fingerprint == SaveFingerprint.Of(save.Answers) ? [] : throw ReusedSequence(save.Sequence);
                if (state.Status == ResponseStatus.Completed)
                    throw new RuleViolationException("completed", "This survey has already been submitted. Thank you!");
                return [Save(state, definition, save.Sequence, save.Answers, now)];

            case CompleteResponse complete:
                CheckSequence(complete.Sequence);
                if (state.Status == ResponseStatus.Completed)
                    return state.CompletedSequence == complete.Sequence ? [] : throw new RuleViolationException("completed", "This survey has already been submitted. Thank you!");
                if (state.Saves.ContainsKey(complete.Sequence)) throw ReusedSequence(complete.Sequence);
                var events = new List<object>();
                var answers = state.Answers;
                if (complete.Answers.Count > 0)
                {
                    var saved = Save(state, definition, complete.Sequence, complete.Answers, now);
                    events.Add(saved);
                    answers = state.With(saved).Answers;
                }
                InvalidInputException.ThrowIfAny(AnswerValidator.CheckComplete(definition, answers));
                events.Add(new ResponseCompleted(state.Id, complete.Sequence, now));
                return [.. events];

            case AbandonResponse abandon:
                return state.Status == ResponseStatus.Started && now - state.LastActivityAt >= abandon.IdleTime
                    ? [new ResponseAbandoned(state.Id, state.LastActivityAt, now)]
                    : [];
        }
        throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name);
    }

    public static Response Evolve(Response? state, object @event) => (state, @event) switch
    {
        (null, ResponseStarted e) => Response.From(e),
        (not null, ResponseAnswersSaved e) => state.With(e),
        (not null, ResponseCompleted e) => state.With(e),
        (not null, ResponseAbandoned e) => state.With(e),
        _ => throw new InvalidOperationException($"{@event.GetType().Name} cannot apply to {(state is null ? "a missing" : "an existing")} response."),
    };

    private static ResponseAnswersSaved Save(Response state, QuestionnaireDefinition definition, int sequence, IReadOnlyDictionary<string, Answer?> answers, DateTimeOffset now)
    {
        var merged = new Dictionary<string, Answer>(state.Answers);
        foreach (var (id, answer) in answers)
            if (answer is null) merged.Remove(id); else merged[id] = answer;
        InvalidInputException.ThrowIfAny(AnswerValidator.CheckSave(definition, answers, merged));
        var cleared = AnswerValidator.NowHidden(definition, merged);
        return new ResponseAnswersSaved(state.Id, sequence, answers, cleared, now);
    }

    private static void CheckSequence(int sequence)
    {
        if (sequence is < 1 or > MaxSequence)
            throw new InvalidInputException([new("sequence", "out-of-range", $"Saves are numbered from 1 to {MaxSequence}.")]);
    }

    private static RuleViolationException ReusedSequence(int sequence) =>
        new("sequence-reused", $"Save number {sequence} was already used for different answers.");
}
