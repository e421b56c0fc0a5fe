namespace Survey.Domain.Analytics.Metrics;

/// <summary>
/// Net Promoter Score of at least one answer on 0-10: promoters 9-10, passives 7-8, detractors 0-6.
/// NPS = %promoters − %detractors, from −100 to 100.
/// </summary>
/// <remarks>
/// The margin of error treats each respondent as scoring +1 (promoter), 0 (passive) or −1 (detractor); NPS/100 is the mean of that
/// score, whose plug-in variance is p_P + p_D − (p_P − p_D)². The 95% margin is 1.96·sqrt(variance / n), times 100 for NPS points.
/// </remarks>
public sealed record NpsResult
{
    public NpsResult(int promoters, int passives, int detractors)
    {
        if (promoters < 0 || passives < 0 || detractors < 0) throw new ArgumentOutOfRangeException(nameof(promoters), "Counts cannot be negative.");
        if (promoters + passives + detractors == 0) throw new ArgumentException("An NPS needs at least one answer; use Nps.FromCounts for possibly empty slices.");
        (Promoters, Passives, Detractors) = (promoters, passives, detractors);
    }

    public int Promoters { get; }
    public int Passives { get; }
    public int Detractors { get; }
    public int Respondents => Promoters + Passives + Detractors;

    public double PromoterPercent => 100.0 * Promoters / Respondents;
    public double PassivePercent => 100.0 * Passives / Respondents;
    public double DetractorPercent => 100.0 * Detractors / Respondents;

    /// <summary>%promoters − %detractors.</summary>
    public double Score => 100.0 * (Promoters - Detractors) / Respondents;

    /// <summary>Plug-in variance of the per-respondent score (+1/0/−1): p_P + p_D − (p_P − p_D)².</summary>
    public double Variance
    {
        get
        {
            double p = (double)Promoters / Respondents, d = (double)Detractors / Respondents;
            return Math.Max(0, p + d - (p - d) * (p - d));
        }
    }

    /// <summary>95% margin of error in NPS points: 100 · 1.96 · sqrt(variance / n).</summary>
    public double MarginOfError => 100 * Confidence.MarginOfError(Variance, Respondents);
}

public static class Nps
{
    public const int PromoterFrom = 9;
    public const int DetractorUpTo = 6;

    public static bool IsPromoter(int score) => score >= PromoterFrom;
    public static bool IsDetractor(int score) => score <= DetractorUpTo;

    /// <summary>NPS of 0-10 scores; no scores is "no data".</summary>
    public static Reported<NpsResult> Calculate(IEnumerable<int> scores) => From(ScoreDistribution.Of(RatingScale.Nps, scores));

    public static Reported<NpsResult> From(ScoreDistribution distribution)
    {
        if (distribution.Scale != RatingScale.Nps) throw new ArgumentException($"NPS is answered on 0..10, not {distribution.Scale}.", nameof(distribution));
        return FromCounts(distribution.CountBetween(PromoterFrom, 10), distribution.CountBetween(DetractorUpTo + 1, PromoterFrom - 1), distribution.CountBetween(0, DetractorUpTo));
    }

    public static Reported<NpsResult> FromCounts(int promoters, int passives, int detractors)
    {
        if (promoters < 0 || passives < 0 || detractors < 0) throw new ArgumentOutOfRangeException(nameof(promoters), "Counts cannot be negative.");
        return promoters + passives + detractors == 0
            ? Reported.NoData<NpsResult>("No NPS answers.")
            : Reported.Shown(new NpsResult(promoters, passives, detractors));
    }
}
