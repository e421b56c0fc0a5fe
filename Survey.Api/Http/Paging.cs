using Survey.Domain.Common;

namespace Survey.Api.Http;

/// <summary>Pages start at 1; each list says its default and largest page size. Problems name the query parameter.</summary>
public static class Paging
{
    public static (int Page, int Size, IReadOnlyList<InputProblem> Problems) Read(int? page, int? pageSize, int defaultSize, int maxSize)
    {
        var (number, size) = (page ?? 1, pageSize ?? defaultSize);
        var problems = new List<InputProblem>();
        if (number < 1) problems.Add(new("page", "out-of-range", "Pages start at 1."));
        if (size < 1 || size > maxSize) problems.Add(new("pageSize", "out-of-range", $"pageSize runs from 1 to {maxSize}."));
        return (number, size, problems);
    }
}
