using Marten;
using Survey.Api.Http;
using Survey.Domain.Questionnaires;

namespace Survey.Api.Questionnaires;

/// <summary>Runs one command against a questionnaire stream and answers with the new state and its ETag.</summary>
public static class QuestionnaireCommands
{
    public static async Task<QuestionnaireView> Run(
        IDocumentSession session, TimeProvider time, HttpContext http, Guid id, QuestionnaireCommand command, CancellationToken ct)
    {
        command = Privacy.Hardening.RichText.Clean(command); // rich text is sanitised on write, whatever the way in
        var (state, version) = await session.Decide<Questionnaire>(id, http.Request.ExpectedVersion(),
            current => QuestionnaireDecider.Decide(command, current, time.GetUtcNow()),
            QuestionnaireDecider.Evolve, ct);
        http.Response.SetETag(version);
        return QuestionnaireView.From(state, version);
    }
}
