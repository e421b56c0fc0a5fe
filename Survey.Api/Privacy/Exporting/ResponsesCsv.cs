using System.Globalization;
using System.Text;
using Marten;
using Survey.Api.Questionnaires;
using Survey.Domain.Common;
using Survey.Domain.Questionnaires;
using Survey.Domain.Responses;

namespace Survey.Api.Privacy.Exporting;

/// <summary>
/// <c>GET /api/questionnaires/{id}/responses.csv</c>: one row per response, one column per question of every published version
/// (by question id), free-text answers opened through the vault ("[erased]" once erased), every cell neutralised.
/// </summary>
public static class ResponsesCsv
{
    private const int PageSize = 500;

    public static IEndpointRouteBuilder MapResponsesCsv(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/questionnaires/{id:guid}/responses.csv", Export).RequireAuthorization(Security.Policies.Responses).WithTags("Responses").WithName("ExportResponsesCsv")
            .WithSummary("All responses of a questionnaire as CSV (UTF-8, cells that spreadsheets would run as formulas are prefixed with ')")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        return app;
    }

    private static async Task Export(Guid id, HttpContext http, IQuerySession session, PersonalDataVault vault, CancellationToken ct)
    {
        var questionnaire = await session.LoadAsync<Questionnaire>(id, ct) ?? throw new NotFoundException($"Questionnaire {id} does not exist.");
        var questions = new List<string>();
        for (var version = 1; version <= (questionnaire.LatestPublishedVersion ?? 0); version++)
            if (await session.LoadAsync<PublishedQuestionnaire>(PublishedQuestionnaire.IdFor(id, version), ct) is { } published)
                questions.AddRange(published.Definition.Questions.Select(q => q.Id).Where(q => !questions.Contains(q)));

        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"responses-{id:N}.csv\"";
        http.Response.Headers.CacheControl = "no-store";
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var csv = new CsvCells(writer);
        await csv.WriteRow(["responseId", "questionnaireVersion", "status", "channel", "locale", "startedAt", "completedAt", .. questions]);
        for (var page = 0; ; page++)
        {
            var batch = await session.Query<Response>().Where(r => r.QuestionnaireId == id).OrderBy(r => r.StartedAt).ThenBy(r => r.Id)
                .Skip(page * PageSize).Take(PageSize).ToListAsync(ct);
            foreach (var response in await vault.Open(session, batch.ToList(), ct))
                await csv.WriteRow([response.Id.ToString(), response.QuestionnaireVersion.ToString(CultureInfo.InvariantCulture), response.Status.ToString(),
                    response.Channel, response.Locale, response.StartedAt.ToString("O"), response.CompletedAt?.ToString("O"),
                    .. questions.Select(q => response.Answers.TryGetValue(q, out var a) ? Cell(a) : null)]);
            await writer.FlushAsync(ct);
            if (batch.Count < PageSize) break;
        }
    }

    private static string? Cell(Answer answer) =>
        answer.Number?.ToString(CultureInfo.InvariantCulture) ?? (answer.Choices is { } choices ? string.Join(";", choices) : answer.Text);
}
