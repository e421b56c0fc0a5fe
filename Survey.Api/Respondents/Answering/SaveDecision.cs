using System.Text.Json;
using Marten;
using Survey.Api.Privacy;
using Survey.Domain.Common;
using Survey.Domain.Questionnaires;
using Survey.Domain.Responses;

namespace Survey.Api.Respondents.Answering;

/// <summary>
/// What one save or completion of a response records, decided on the response's current state (loaded by the caller, inside
/// the session that will commit it): answers read against the version answered, free text sealed. Shared by the save path
/// (<see cref="SaveWriter"/>, many saves per transaction) and completion (one per transaction, with the invitation and cases).
/// </summary>
/// <param name="Clear">The response as the decider saw it (free text in clear).</param>
/// <param name="Decided">The decider's events, in clear.</param>
/// <param name="Events">The events to append (free text sealed).</param>
public sealed record SaveDecision(QuestionnaireDefinition Definition, Response Clear, object[] Decided, object[] Events, ResponseSealing? Sealing)
{
    /// <summary>Throws the request's own problem (bad input 400, unknown response 404, broken rule 409) before anything is appended.</summary>
    /// <param name="noDataKey">The caller read, in this transaction or at the stream version it appends against, that the response has no data key.</param>
    public static async Task<SaveDecision> Make(IDocumentSession session, PersonalDataVault vault, Response? response, SaveRequest request, bool complete,
        DateTimeOffset now, CancellationToken ct, bool noDataKey = false)
    {
        if (response is null) throw new NotFoundException("This response was never started.");
        var definition = (await PublicSources.Version(session, response.QuestionnaireId, response.QuestionnaireVersion, ct)).Definition;
        var answers = ReadAnswers(definition, request.Answers);
        ResponseCommand command = complete ? new CompleteResponse(request.Sequence, answers) : new SaveAnswers(request.Sequence, answers);
        // free-text answers are personal data: the decider sees them in clear, the events carry them sealed
        var sealing = await ResponseSealing.For(vault, session, response, definition, answers, ct, noDataKey);
        var clear = sealing?.Open(response, request.Sequence, answers) ?? response;
        var decided = ResponseDecider.Decide(command, clear, definition, now);
        return new SaveDecision(definition, clear, decided, sealing is not null ? sealing.Seal(decided) : decided, sealing);
    }

    /// <summary>The failures <see cref="Make"/> answers a request with; anything else (the database) is not the request's fault.</summary>
    public static bool IsRequestProblem(Exception e) => e is InvalidInputException or NotFoundException or RuleViolationException;

    private static IReadOnlyDictionary<string, Answer?> ReadAnswers(QuestionnaireDefinition definition, IReadOnlyDictionary<string, JsonElement>? json)
    {
        var answers = new Dictionary<string, Answer?>();
        var problems = new List<InputProblem>();
        if (json is { Count: > QuestionnaireValidator.MaxQuestions })
            throw new InvalidInputException([new("answers", "too-many", "Too many answers in one save.")]);
        foreach (var (id, value) in json ?? new Dictionary<string, JsonElement>())
        {
            var question = definition.Find(id);
            if (question is null) { problems.Add(new(id, "unknown-question", $"There is no question '{id}' in this survey.")); continue; }
            var (answer, problem) = Answer.Read(question, value);
            if (problem is not null) problems.Add(new(id, "wrong-type", problem));
            else answers[id] = answer;
        }
        InvalidInputException.ThrowIfAny(problems);
        return answers;
    }
}
