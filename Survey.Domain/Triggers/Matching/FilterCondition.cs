using System.Globalization;

namespace Survey.Domain.Triggers.Matching;

public enum FilterOperator { Equal, NotEqual, In, NotIn, GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual, Exists, NotExists }

/// <summary>
/// One condition of a trigger's filter; every condition must hold. <paramref name="Field"/> is <c>dealer.code</c>,
/// <c>dealer.region</c>, <c>dealer.city</c> or an attribute of the event, written <c>event.vehicleModel</c> or just <c>vehicleModel</c>.
/// Texts compare without regard to case; numbers compare as numbers (invariant culture, e.g. <c>1000.50</c>).
/// A missing value fails every operator except <see cref="FilterOperator.NotEqual"/>, <see cref="FilterOperator.NotIn"/>
/// and <see cref="FilterOperator.NotExists"/>, which it satisfies (combine with <see cref="FilterOperator.Exists"/> to require it).
/// </summary>
public sealed record FilterCondition(string Field, FilterOperator Operator, IReadOnlyList<string> Values)
{
    public static FilterCondition Is(string field, string value) => new(field, FilterOperator.Equal, [value]);
    public static FilterCondition IsNot(string field, string value) => new(field, FilterOperator.NotEqual, [value]);
    public static FilterCondition OneOf(string field, params string[] values) => new(field, FilterOperator.In, values);
    public static FilterCondition NoneOf(string field, params string[] values) => new(field, FilterOperator.NotIn, values);
    public static FilterCondition AtLeast(string field, decimal value) => new(field, FilterOperator.GreaterThanOrEqual, [Number(value)]);
    public static FilterCondition Above(string field, decimal value) => new(field, FilterOperator.GreaterThan, [Number(value)]);
    public static FilterCondition AtMost(string field, decimal value) => new(field, FilterOperator.LessThanOrEqual, [Number(value)]);
    public static FilterCondition Below(string field, decimal value) => new(field, FilterOperator.LessThan, [Number(value)]);
    public static FilterCondition Present(string field) => new(field, FilterOperator.Exists, []);
    public static FilterCondition Absent(string field) => new(field, FilterOperator.NotExists, []);

    public bool Equals(FilterCondition? other) =>
        other is not null && Field == other.Field && Operator == other.Operator
        && (Values ?? []).SequenceEqual(other.Values ?? []);

    public override int GetHashCode() => HashCode.Combine(Field, Operator, Values?.Count);

    /// <summary>As a marketer reads it: <c>vehicleModel in [A6, Q5]</c>, <c>amount &gt;= 1000</c>.</summary>
    public override string ToString()
    {
        var values = Values ?? [];
        return Operator switch
        {
            FilterOperator.Exists => $"{Field} exists",
            FilterOperator.NotExists => $"{Field} does not exist",
            FilterOperator.In or FilterOperator.NotIn => $"{Field} {Symbol(Operator)} [{string.Join(", ", values)}]",
            _ => $"{Field} {Symbol(Operator)} {values.FirstOrDefault()}",
        };
    }

    public static string Symbol(FilterOperator op) => op switch
    {
        FilterOperator.Equal => "=",
        FilterOperator.NotEqual => "!=",
        FilterOperator.In => "in",
        FilterOperator.NotIn => "not in",
        FilterOperator.GreaterThan => ">",
        FilterOperator.GreaterThanOrEqual => ">=",
        FilterOperator.LessThan => "<",
        FilterOperator.LessThanOrEqual => "<=",
        FilterOperator.Exists => "exists",
        FilterOperator.NotExists => "not exists",
        _ => op.ToString(),
    };

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
