using Survey.Domain.Analytics;
using Survey.Domain.Analytics.Index;
using Survey.Domain.Analytics.Metrics;
using Survey.Domain.Analytics.Periods;
using NpsCalculator = Survey.Domain.Analytics.Metrics.Nps;
using CsatCalculator = Survey.Domain.Analytics.Metrics.Csat;
using CesCalculator = Survey.Domain.Analytics.Metrics.Ces;

namespace Survey.Api.Analytics.Querying;

/// <summary>A figure as the API shows it: its value, or the code and reason it is withheld (no-data, too-few-responses, insufficient-sample).</summary>
public sealed record Figure<T>(T? Value, string? Suppressed = null, string? Reason = null)
{
    public static Figure<T> Of(Reported<T> reported) =>
        reported.IsShown ? new(reported.Value) : new(default, reported.Suppression.Code, reported.Suppression.Detail);
}

public sealed record PeriodView(string Kind, string Label, DateOnly Start, DateOnly End, DateTimeOffset From, DateTimeOffset Until)
{
    public static PeriodView Of(Period p, PeriodCalendar calendar)
    {
        var (from, until) = calendar.Bounds(p);
        return new(p.Kind.ToString().ToLowerInvariant(), p.Label, p.Start, p.End, from, until);
    }
}

public sealed record NpsView(double Score, double MarginOfError, int Respondents, int Promoters, int Passives, int Detractors,
    double PromoterPercent, double PassivePercent, double DetractorPercent);
public sealed record CsatView(int Respondents, double TopTwoBoxPercent, double TopTwoBoxMarginOfError, double Mean, double MeanMarginOfError);
public sealed record CesView(int Respondents, double Mean, double MeanMarginOfError, double EasyPercent);
public sealed record RateView(int Count, int OutOf, double Percent);
public sealed record ComponentView(string Component, double Weight, int Answers, double Raw, double Score, double MarginOfError);
public sealed record IndexView(int Version, double Value, int SampleSize, double MarginOfError, IReadOnlyList<ComponentView> Components);
public sealed record QuestionView(string Key, string Type, int Min, int Max, Figure<RatingSummaryView> Summary);
public sealed record RatingSummaryView(int Respondents, double Mean, double MarginOfError, double MeanOutOfHundred, IReadOnlyList<ScalePoint> Distribution);
public sealed record ChangeView(double Previous, double Current, double Delta, double StandardError, double? Z, bool Significant, string Movement);

/// <summary>The metrics of one slice and period, computed by the domain's calculators from the counts PostgreSQL returned.</summary>
public sealed record SliceFigures(
    int Responses, Figure<NpsView> Nps, Figure<CsatView> Csat, Figure<CesView> Ces, IReadOnlyList<QuestionView> Questions,
    Figure<RateView> ResponseRate, Figure<RateView> CompletionRate, Figure<IndexView> Index)
{
    /// <summary>
    /// Answers are withheld below the tenant's minimum sample (from its index recipe) and never shown below the anonymity floor of 5;
    /// rates are counts of invitations and starts, shown whatever the sample.
    /// </summary>
    public static SliceFigures Compute(SliceData data, ExperienceIndexDefinition definition)
    {
        var rules = definition.SampleRules;
        Reported<T> Gate<T>(Reported<T> figure) => rules.Check(data.Responses) is { } why ? Reported<T>.Suppressed(why) : figure;

        var nps = Gate(NpsCalculator.From(data.Nps)).Map(n => new NpsView(n.Score, n.MarginOfError, n.Respondents, n.Promoters, n.Passives, n.Detractors,
            n.PromoterPercent, n.PassivePercent, n.DetractorPercent));
        var csat = Gate(CsatCalculator.From(data.Csat)).Map(c => new CsatView(c.Respondents, c.TopTwoBoxPercent, c.TopTwoBoxMarginOfError, c.Mean, c.MeanMarginOfError));
        var ces = Gate(CesCalculator.From(data.Ces)).Map(c => new CesView(c.Respondents, c.Mean, c.MeanMarginOfError, c.EasyPercent));
        var questions = data.Keys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => new QuestionView(k.Key, k.Value.Type,
            k.Value.Distribution.Scale.Min, k.Value.Distribution.Scale.Max,
            Figure<RatingSummaryView>.Of(Gate(Ratings.Summarise(k.Value.Distribution)).Map(s =>
                new RatingSummaryView(s.Respondents, s.Mean, s.MarginOfError, s.MeanOutOfHundred, s.Distribution))))).ToList();
        var index = ExperienceIndex.Compute(definition, data.ToIndexSlice()).Map(IndexOf);
        return new(data.Responses, Figure<NpsView>.Of(nps), Figure<CsatView>.Of(csat), Figure<CesView>.Of(ces), questions,
            Figure<RateView>.Of(Rates.Response(Math.Min(data.DeliveredAnswered, data.Delivered), data.Delivered).Map(RateOf)),
            Figure<RateView>.Of(Rates.Completion(data.StartedCompleted, data.Started).Map(RateOf)),
            Figure<IndexView>.Of(index));
    }

    public static Reported<double> IndexValue(SliceData data, ExperienceIndexDefinition definition) =>
        ExperienceIndex.Compute(definition, data.ToIndexSlice()).Map(i => i.Value);

    /// <summary>Just the index and NPS values of a slice (a trend point), as <see cref="Compute"/> would show them.</summary>
    public static (Figure<double?> Index, Figure<double?> Nps) Headline(SliceData data, ExperienceIndexDefinition definition)
    {
        var nps = definition.SampleRules.Check(data.Responses) is { } why ? Reported<double>.Suppressed(why) : NpsCalculator.From(data.Nps).Map(n => n.Score);
        return (Figure<double?>.Of(IndexValue(data, definition).Map(v => (double?)v)), Figure<double?>.Of(nps.Map(v => (double?)v)));
    }

    /// <summary>NPS change between two periods, when both may be shown.</summary>
    public static Figure<ChangeView> Change(SliceData previous, SliceData current, ExperienceIndexDefinition definition)
    {
        var rules = definition.SampleRules;
        Reported<NpsResult> Nps(SliceData d) => rules.Check(d.Responses) is { } why ? Reported<NpsResult>.Suppressed(why) : NpsCalculator.From(d.Nps);
        return Figure<ChangeView>.Of(NpsChange.Between(Nps(previous), Nps(current))
            .Map(c => new ChangeView(c.Previous, c.Current, c.Delta, c.StandardError, c.Z, c.Significant, c.Movement.ToString())));
    }

    private static RateView RateOf(Rate r) => new(r.Count, r.OutOf, r.Percent);

    private static IndexView IndexOf(ExperienceIndexResult r) => new(r.Version, r.Value, r.SampleSize, r.MarginOfError,
        r.Components.Select(c => new ComponentView(c.Component.Name, c.Weight, c.Answers, c.Raw, c.Score, c.MarginOfError)).ToList());
}
