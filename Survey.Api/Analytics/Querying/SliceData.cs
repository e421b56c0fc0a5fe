using Survey.Domain.Analytics.Index;
using Survey.Domain.Analytics.Metrics;

namespace Survey.Api.Analytics.Querying;

/// <summary>The distribution of one keyed question in a slice, with its scale and kind ("rating" questions are the drivers).</summary>
public sealed record KeyedDistribution(string Type, ScoreDistribution Distribution);

/// <summary>
/// What PostgreSQL returns for one group (a slice, a dealer, a region): completed responses, score distributions, started and completed
/// responses, delivered and answered invitations. Distributions add up, so dealers sum into regions without another query.
/// </summary>
public sealed class SliceData
{
    public int Responses { get; set; }
    public ScoreDistribution Nps { get; set; } = ScoreDistribution.Empty(RatingScale.Nps);
    public ScoreDistribution Csat { get; set; } = ScoreDistribution.Empty(RatingScale.Csat);
    public ScoreDistribution Ces { get; set; } = ScoreDistribution.Empty(RatingScale.Ces);
    public Dictionary<string, KeyedDistribution> Keys { get; } = [];
    public int Started { get; set; }
    public int StartedCompleted { get; set; }
    public int Delivered { get; set; }
    public int DeliveredAnswered { get; set; }

    public IndexSlice ToIndexSlice() => new(Responses, Nps, Csat, Ces, Keys.ToDictionary(k => k.Key, k => k.Value.Distribution));

    public SliceData Plus(SliceData other)
    {
        var sum = new SliceData
        {
            Responses = Responses + other.Responses, Nps = Nps.Plus(other.Nps), Csat = Csat.Plus(other.Csat), Ces = Ces.Plus(other.Ces),
            Started = Started + other.Started, StartedCompleted = StartedCompleted + other.StartedCompleted,
            Delivered = Delivered + other.Delivered, DeliveredAnswered = DeliveredAnswered + other.DeliveredAnswered,
        };
        foreach (var (key, d) in Keys.Concat(other.Keys))
            sum.Keys[key] = sum.Keys.TryGetValue(key, out var had) && had.Distribution.Scale == d.Distribution.Scale
                ? had with { Distribution = had.Distribution.Plus(d.Distribution) }
                : had ?? d;
        return sum;
    }

    public static SliceData Sum(IEnumerable<SliceData> parts) => parts.Aggregate(new SliceData(), (a, b) => a.Plus(b));
}
