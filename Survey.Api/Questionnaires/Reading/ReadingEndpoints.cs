using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Http.HttpResults;
using Survey.Api.Http;
using Survey.Domain.Common;
using Survey.Domain.Questionnaires;

namespace Survey.Api.Questionnaires.Reading;

public static class ReadingEndpoints
{
    public const int MaxPageSize = 200;

    public static RouteGroupBuilder MapReading(this RouteGroupBuilder group)
    {
        group.MapGet("/", List)
            .WithName("ListQuestionnaires")
            .WithSummary("List questionnaires, newest change first")
            .WithDescription("Filter by status (draft = never published, published, archived); pages start at 1.");

        group.MapGet("/{id:guid}", Get)
            .WithName("GetQuestionnaire")
            .WithSummary("Read a questionnaire with its current draft")
            .WithDescription("The ETag header carries the version to send back in If-Match when editing.");

        group.MapGet("/{id:guid}/versions", ListVersions)
            .WithName("ListQuestionnaireVersions")
            .WithSummary("List the published versions");

        group.MapGet("/{id:guid}/versions/{version:int}", GetVersion)
            .WithName("GetQuestionnaireVersion")
            .WithSummary("Read one published version exactly as it was published");
        return group;
    }

    private static async Task<Ok<Page<QuestionnaireSummary>>> List(
        IQuerySession session, string? status, int? page, int? pageSize, CancellationToken ct)
    {
        var (number, size, paging) = Paging.Read(page, pageSize, 20, MaxPageSize);
        var problems = paging.ToList();
        QuestionnaireStatus? filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!status.Any(char.IsDigit) && Enum.TryParse<QuestionnaireStatus>(status, ignoreCase: true, out var parsed)) filter = parsed;
            else problems.Add(new("status", "unknown-status", "status is one of draft, published, archived."));
        }
        InvalidInputException.ThrowIfAny(problems);

        IQueryable<Questionnaire> query = session.Query<Questionnaire>();
        query = filter switch
        {
            QuestionnaireStatus.Archived => query.Where(q => q.Archived),
            QuestionnaireStatus.Published => query.Where(q => !q.Archived && q.LatestPublishedVersion != null),
            QuestionnaireStatus.Draft => query.Where(q => !q.Archived && q.LatestPublishedVersion == null),
            _ => query,
        };
        var result = await query.OrderByDescending(q => q.UpdatedAt).ToPagedListAsync(number, size, ct);
        var items = result.Select(q => new QuestionnaireSummary(q.Id, q.Status, q.Draft.Title, q.Draft.Questions.Count, q.DraftVersion,
            q.LatestPublishedVersion, q.HasUnpublishedChanges, q.UpdatedAt)).ToList();
        return TypedResults.Ok(new Page<QuestionnaireSummary>(items, number, size, result.TotalItemCount));
    }

    private static async Task<Results<Ok<QuestionnaireView>, NotFound>> Get(Guid id, IQuerySession session, HttpResponse response, CancellationToken ct)
    {
        var questionnaire = await session.LoadAsync<Questionnaire>(id, ct) ?? throw new NotFoundException($"Questionnaire {id} does not exist.");
        response.SetETag(questionnaire.Version);
        return TypedResults.Ok(QuestionnaireView.From(questionnaire, questionnaire.Version));
    }

    private static async Task<Ok<IReadOnlyList<PublishedVersionSummary>>> ListVersions(Guid id, IQuerySession session, CancellationToken ct)
    {
        _ = await session.LoadAsync<Questionnaire>(id, ct) ?? throw new NotFoundException($"Questionnaire {id} does not exist.");
        var versions = await session.Query<PublishedQuestionnaire>().Where(p => p.QuestionnaireId == id).OrderBy(p => p.Version).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<PublishedVersionSummary>>(
            versions.Select(v => new PublishedVersionSummary(v.Version, v.PublishedAt, v.Definition.Questions.Count)).ToList());
    }

    private static async Task<Ok<PublishedVersionView>> GetVersion(Guid id, int version, IQuerySession session, CancellationToken ct)
    {
        var published = await session.LoadAsync<PublishedQuestionnaire>(PublishedQuestionnaire.IdFor(id, version), ct)
            ?? throw new NotFoundException($"Questionnaire {id} has no published version {version}.");
        return TypedResults.Ok(new PublishedVersionView(id, published.Version, published.PublishedAt, published.Definition));
    }
}
