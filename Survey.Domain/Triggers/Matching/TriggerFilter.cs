using System.Globalization;
using Survey.Domain.Common;
using Survey.Domain.Operations;

namespace Survey.Domain.Triggers.Matching;

/// <summary>What a filter is evaluated against: the event, its dealer (if known) and the dealer's region.</summary>
public sealed record FilterSubject(OperationalEvent Event, Dealer? Dealer, string? RegionCode)
{
    /// <summary>The field's value, or null when the event or dealer does not have it (blank counts as missing).</summary>
    public string? Value(string field)
    {
        var value = TriggerFilter.Resolve(field) switch
        {
            (FieldSource.Dealer, "code") => Dealer?.Code ?? Event.DealerCode,
            (FieldSource.Dealer, "region") => RegionCode ?? Dealer?.RegionCode,
            (FieldSource.Dealer, "city") => Dealer?.City,
            (FieldSource.Event, var name) => Attribute(name),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private string? Attribute(string name)
    {
        if (Event.Attributes.TryGetValue(name, out var exact)) return exact;
        foreach (var (key, value) in Event.Attributes)
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return value;
        return null;
    }
}

public enum FieldSource { Unknown, Dealer, Event }

/// <summary>Evaluates and validates trigger filters (a list of conditions that must all hold).</summary>
public static class TriggerFilter
{
    public const int MaxConditions = 50;
    public const int MaxValues = 100;
    public const int MaxValueLength = 1000;
    public const int MaxAttributeLength = 64;

    public static readonly IReadOnlySet<string> DealerFields = new HashSet<string>(StringComparer.Ordinal) { "code", "region", "city" };

    /// <summary>Where a field's value comes from: <c>dealer.region</c> → (Dealer, "region"); <c>event.amount</c> and <c>amount</c> → (Event, "amount").</summary>
    public static (FieldSource Source, string Name) Resolve(string? field)
    {
        if (string.IsNullOrWhiteSpace(field)) return (FieldSource.Unknown, "");
        if (field.StartsWith("dealer.", StringComparison.Ordinal))
        {
            var name = field["dealer.".Length..];
            return DealerFields.Contains(name) ? (FieldSource.Dealer, name) : (FieldSource.Unknown, name);
        }
        var attribute = field.StartsWith("event.", StringComparison.Ordinal) ? field["event.".Length..] : field;
        return attribute.Length is > 0 and <= MaxAttributeLength && attribute.Trim() == attribute
            ? (FieldSource.Event, attribute)
            : (FieldSource.Unknown, attribute);
    }

    public static bool Holds(FilterCondition condition, FilterSubject subject) => Holds(condition, subject.Value(condition.Field));

    public static bool Holds(FilterCondition condition, string? actual)
    {
        var values = condition.Values ?? [];
        return condition.Operator switch
        {
            FilterOperator.Exists => actual is not null,
            FilterOperator.NotExists => actual is null,
            FilterOperator.Equal => actual is not null && values.Count > 0 && Same(actual, values[0]),
            FilterOperator.NotEqual => actual is null || values.Count == 0 || !Same(actual, values[0]),
            FilterOperator.In => actual is not null && values.Any(v => Same(actual, v)),
            FilterOperator.NotIn => actual is null || !values.Any(v => Same(actual, v)),
            FilterOperator.GreaterThan => Compare(actual, values) > 0,
            FilterOperator.GreaterThanOrEqual => Compare(actual, values) >= 0,
            FilterOperator.LessThan => Compare(actual, values) is < 0 and not int.MinValue,
            FilterOperator.LessThanOrEqual => Compare(actual, values) is <= 0 and not int.MinValue,
            _ => false,
        };
    }

    /// <summary>Every problem of a filter, each with its path (<c>filter[1].values[0]</c>).</summary>
    public static IReadOnlyList<InputProblem> Validate(IReadOnlyList<FilterCondition?>? filter, string path = "filter")
    {
        var problems = new List<InputProblem>();
        var conditions = filter ?? [];
        if (conditions.Count > MaxConditions)
            problems.Add(new(path, "too-many", $"A filter holds at most {MaxConditions} conditions."));
        for (var i = 0; i < conditions.Count; i++)
        {
            var at = $"{path}[{i}]";
            var c = conditions[i];
            if (c is null) { problems.Add(new(at, "required", "A condition cannot be null.")); continue; }

            if (string.IsNullOrWhiteSpace(c.Field))
                problems.Add(new($"{at}.field", "required", "Name the field, e.g. dealer.region or event.vehicleModel."));
            else if (Resolve(c.Field).Source == FieldSource.Unknown)
                problems.Add(new($"{at}.field", "unknown-field", c.Field.StartsWith("dealer.", StringComparison.Ordinal)
                    ? $"'{c.Field}' is not a dealer field; use dealer.{string.Join(", dealer.", DealerFields)}."
                    : $"'{c.Field}' is not a field; event attributes are named in 1-{MaxAttributeLength} characters, e.g. event.vehicleModel."));

            if (!Enum.IsDefined(c.Operator))
            {
                problems.Add(new($"{at}.operator", "unknown-operator", $"Operator {(int)c.Operator} is not one of {string.Join(", ", Enum.GetNames<FilterOperator>())}."));
                continue;
            }
            CheckValues(c, at, problems);
        }
        return problems;
    }

    private static void CheckValues(FilterCondition c, string at, List<InputProblem> problems)
    {
        var values = c.Values ?? [];
        var op = FilterCondition.Symbol(c.Operator);
        switch (c.Operator)
        {
            case FilterOperator.Exists or FilterOperator.NotExists when values.Count > 0:
                problems.Add(new($"{at}.values", "value-count", $"'{op}' takes no values."));
                return;
            case FilterOperator.In or FilterOperator.NotIn when values.Count == 0:
                problems.Add(new($"{at}.values", "value-count", $"'{op}' needs at least one value."));
                return;
            case FilterOperator.In or FilterOperator.NotIn when values.Count > MaxValues:
                problems.Add(new($"{at}.values", "value-count", $"'{op}' takes at most {MaxValues} values."));
                return;
            case FilterOperator.Equal or FilterOperator.NotEqual or FilterOperator.GreaterThan or FilterOperator.GreaterThanOrEqual
                or FilterOperator.LessThan or FilterOperator.LessThanOrEqual when values.Count != 1:
                problems.Add(new($"{at}.values", "value-count", $"'{op}' takes exactly one value."));
                return;
        }
        var numeric = c.Operator is FilterOperator.GreaterThan or FilterOperator.GreaterThanOrEqual or FilterOperator.LessThan or FilterOperator.LessThanOrEqual;
        for (var v = 0; v < values.Count; v++)
        {
            var value = values[v];
            if (string.IsNullOrWhiteSpace(value))
                problems.Add(new($"{at}.values[{v}]", "required", "A value cannot be empty."));
            else if (value.Length > MaxValueLength)
                problems.Add(new($"{at}.values[{v}]", "too-long", $"Values hold at most {MaxValueLength} characters."));
            else if (numeric && Number(value) is null)
                problems.Add(new($"{at}.values[{v}]", "not-a-number", $"'{op}' compares numbers; '{value}' is not one (write 1000 or 1000.50)."));
        }
    }

    private static bool Same(string actual, string? expected)
    {
        if (expected is null) return false;
        if (Number(actual) is { } a && Number(expected) is { } b) return a == b;
        return string.Equals(actual.Trim(), expected.Trim(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The comparison of a numeric actual value with the condition's number; int.MinValue when either is not a number.</summary>
    private static int Compare(string? actual, IReadOnlyList<string> values) =>
        actual is not null && values.Count == 1 && Number(actual) is { } a && Number(values[0]) is { } b ? a.CompareTo(b) : int.MinValue;

    private static decimal? Number(string? text) =>
        decimal.TryParse(text?.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out var n) ? n : null;
}
