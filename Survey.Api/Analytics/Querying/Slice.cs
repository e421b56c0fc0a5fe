using System.Globalization;
using Survey.Domain.Analytics.Periods;
using Survey.Domain.Common;

namespace Survey.Api.Analytics.Querying;

/// <summary>
/// Which responses a figure is about, beyond the caller's scope: any of region, dealer, touchpoint (event type), trigger, channel,
/// questionnaire and operational attributes (<c>attr.vehicleModel=A6L</c> in the query string).
/// </summary>
public sealed record Slice(
    string? Region = null, string? Dealer = null, string? Touchpoint = null, Guid? Trigger = null, string? Channel = null, Guid? Questionnaire = null,
    IReadOnlyDictionary<string, string>? Attributes = null)
{
    public const string AttributePrefix = "attr.";

    public static Slice From(HttpRequest request)
    {
        var q = request.Query;
        var problems = new List<InputProblem>();
        Guid? ParseGuid(string name)
        {
            if (q[name].FirstOrDefault() is not { Length: > 0 } text) return null;
            if (Guid.TryParse(text, out var id)) return id;
            problems.Add(new(name, "invalid-id", $"{name} is an id (GUID)."));
            return null;
        }
        var attributes = q.Where(kv => kv.Key.StartsWith(AttributePrefix, StringComparison.Ordinal) && kv.Key.Length > AttributePrefix.Length)
            .ToDictionary(kv => kv.Key[AttributePrefix.Length..], kv => kv.Value.ToString());
        var slice = new Slice(Text(q, "region"), Text(q, "dealer"), Text(q, "touchpoint"), ParseGuid("trigger"), Text(q, "channel"), ParseGuid("questionnaire"), attributes);
        InvalidInputException.ThrowIfAny(problems);
        return slice;
    }

    private static string? Text(IQueryCollection q, string name) => q[name].FirstOrDefault() is { Length: > 0 } t ? t : null;
}

/// <summary>Reads <c>period</c> (week, month, quarter, year; month by default) and <c>date</c> (any day inside it; today by default).</summary>
public static class PeriodQuery
{
    public static Period Read(HttpRequest request, PeriodCalendar calendar, DateTimeOffset now)
    {
        var problems = new List<InputProblem>();
        var kindText = request.Query["period"].FirstOrDefault() ?? "month";
        if (!Enum.TryParse<PeriodKind>(kindText, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
            problems.Add(new("period", "unknown-period", "period is week, month, quarter or year."));
        var date = calendar.LocalDate(now);
        if (request.Query["date"].FirstOrDefault() is { Length: > 0 } dateText
            && !DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            problems.Add(new("date", "invalid-date", "date is a calendar date such as 2026-05-17."));
        InvalidInputException.ThrowIfAny(problems);
        return calendar.PeriodOf(date, kind);
    }

    public static int Count(HttpRequest request, string name, int fallback, int max)
    {
        if (request.Query[name].FirstOrDefault() is not { Length: > 0 } text) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max) return n;
        throw new InvalidInputException([new(name, "out-of-range", $"{name} is a whole number from 1 to {max}.")]);
    }
}
