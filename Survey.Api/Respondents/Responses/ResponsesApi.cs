using Survey.Api.Security;
using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Http.HttpResults;
using Survey.Api.Http;
using Survey.Api.Questionnaires;
using Survey.Domain.Common;
using Survey.Domain.Responses;

namespace Survey.Api.Respondents.Responses;

/// <summary>Responses as the console reads them (answers joined to operational data arrive with the analytics feature).</summary>
public static class ResponsesApi
{
    public static IEndpointRouteBuilder MapResponsesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/responses").WithTags("Responses").RequireAuthorization(Policies.Responses);
        group.MapGet("/{id:guid}", Get).WithName("GetResponse").WithSummary("Read one response with its answers");
        group.MapGet("/", List).WithName("ListResponses").WithSummary("List responses of a questionnaire, newest activity first");
        return app;
    }

    private static async Task<Ok<Response>> Get(Guid id, IQuerySession session, Privacy.PersonalDataVault vault, CancellationToken ct) =>
        TypedResults.Ok(await vault.Open(session, await session.LoadAsync<Response>(id, ct) ?? throw new NotFoundException($"Response {id} does not exist."), ct));

    private static async Task<Ok<Page<Response>>> List(Guid questionnaireId, string? status, int? page, int? pageSize, IQuerySession session, Privacy.PersonalDataVault vault, CancellationToken ct)
    {
        var (number, size, problems) = Paging.Read(page, pageSize, 50, 500);
        InvalidInputException.ThrowIfAny(problems);
        IQueryable<Response> query = session.Query<Response>().Where(r => r.QuestionnaireId == questionnaireId);
        if (!string.IsNullOrEmpty(status))
        {
            if (status.Any(char.IsDigit) || !Enum.TryParse<ResponseStatus>(status, ignoreCase: true, out var s))
                throw new InvalidInputException([new("status", "unknown-status", "status is started, completed or abandoned.")]);
            query = query.Where(r => r.Status == s);
        }
        var result = await query.OrderByDescending(r => r.LastActivityAt).ToPagedListAsync(number, size, ct);
        return TypedResults.Ok(new Page<Response>([.. await vault.Open(session, result.ToList(), ct)], number, size, result.TotalItemCount));
    }
}
