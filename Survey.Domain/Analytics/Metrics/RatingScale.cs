namespace Survey.Domain.Analytics.Metrics;

/// <summary>The whole-number points of a rating question, <see cref="Min"/>..<see cref="Max"/>, e.g. 0..10 for NPS.</summary>
public sealed record RatingScale
{
    public static readonly RatingScale Nps = new(0, 10);
    public static readonly RatingScale Csat = new(1, 5);
    public static readonly RatingScale Ces = new(1, 7);

    public RatingScale(int min, int max)
    {
        if (max <= min) throw new ArgumentException($"A scale needs at least two points; got {min}..{max}.", nameof(max));
        (Min, Max) = (min, max);
    }

    public int Min { get; }
    public int Max { get; }
    public int Points => Max - Min + 1;

    public bool Contains(int score) => score >= Min && score <= Max;

    /// <summary>A value on this scale (typically a mean) mapped linearly so that <see cref="Min"/> is 0 and <see cref="Max"/> is 100.</summary>
    public double ToHundred(double value) => (value - Min) * 100.0 / (Max - Min);

    /// <summary>A width on this scale (a margin of error, a difference) in 0..100 points.</summary>
    public double WidthToHundred(double width) => width * 100.0 / (Max - Min);

    public override string ToString() => $"{Min}..{Max}";
}
