namespace Survey.Domain.Analytics.Metrics;

/// <summary>
/// How many answers each point of a scale received. It is what a projection keeps per question and slice: distributions add up
/// (dealers into a region, weeks into a quarter), and every rating metric is computed from it.
/// </summary>
public sealed class ScoreDistribution
{
    private readonly int[] _counts;

    private ScoreDistribution(RatingScale scale, int[] counts)
    {
        Scale = scale;
        _counts = counts;
        N = counts.Sum();
    }

    public RatingScale Scale { get; }

    /// <summary>Answers per point, from <see cref="RatingScale.Min"/> up.</summary>
    public IReadOnlyList<int> Counts => _counts;

    /// <summary>Number of answers.</summary>
    public int N { get; }

    public bool IsEmpty => N == 0;

    public static ScoreDistribution Empty(RatingScale scale) => new(scale, new int[scale.Points]);

    /// <summary>Counts the scores; a score outside the scale is a programming error (answers are validated when they arrive).</summary>
    public static ScoreDistribution Of(RatingScale scale, IEnumerable<int> scores)
    {
        ArgumentNullException.ThrowIfNull(scale);
        var counts = new int[scale.Points];
        foreach (var score in scores)
        {
            if (!scale.Contains(score)) throw new ArgumentOutOfRangeException(nameof(scores), score, $"Score {score} is outside the scale {scale}.");
            counts[score - scale.Min]++;
        }
        return new(scale, counts);
    }

    public static ScoreDistribution FromCounts(RatingScale scale, IReadOnlyList<int> counts)
    {
        ArgumentNullException.ThrowIfNull(scale);
        if (counts.Count != scale.Points) throw new ArgumentException($"A {scale} scale has {scale.Points} points; got {counts.Count} counts.", nameof(counts));
        if (counts.Any(c => c < 0)) throw new ArgumentOutOfRangeException(nameof(counts), "Counts cannot be negative.");
        return new(scale, counts.ToArray());
    }

    /// <summary>Answers with exactly <paramref name="score"/>.</summary>
    public int Count(int score) => Scale.Contains(score) ? _counts[score - Scale.Min] : 0;

    /// <summary>Answers from <paramref name="from"/> to <paramref name="to"/>, both included.</summary>
    public int CountBetween(int from, int to)
    {
        var total = 0;
        for (var score = Math.Max(from, Scale.Min); score <= Math.Min(to, Scale.Max); score++) total += _counts[score - Scale.Min];
        return total;
    }

    public double Sum => _counts.Select((c, i) => (double)c * (Scale.Min + i)).Sum();

    /// <summary>Both slices together; they must use the same scale.</summary>
    public ScoreDistribution Plus(ScoreDistribution other)
    {
        if (other.Scale != Scale) throw new ArgumentException($"Cannot add a {other.Scale} distribution to a {Scale} one.", nameof(other));
        return new(Scale, _counts.Zip(other._counts, (a, b) => a + b).ToArray());
    }

    /// <summary>Mean and plug-in variance; only for a distribution with answers.</summary>
    internal (double Mean, double Variance) Moments()
    {
        if (N == 0) throw new InvalidOperationException("An empty distribution has no mean.");
        var mean = Sum / N;
        var variance = _counts.Select((c, i) => c * Math.Pow(Scale.Min + i - mean, 2)).Sum() / N;
        return (mean, variance);
    }

    public override string ToString() => $"{Scale}: [{string.Join(", ", _counts)}]";
}
