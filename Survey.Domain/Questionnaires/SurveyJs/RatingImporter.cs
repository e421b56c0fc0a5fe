using System.Globalization;
using System.Text.RegularExpressions;

namespace Survey.Domain.Questionnaires.SurveyJs;

/// <summary>
/// SurveyJS rating (question_rating.ts). Generated scales: rateMin (default 1) to rateMax (default 5) in steps of rateStep
/// (default 1; any other step is not supported); rateCount only counts when exactly one of rateMin/rateMax is given, as in
/// QuestionRatingModel.endLoadingFromJson. Explicit rateValues (used unless autoGenerate is true) that are consecutive
/// ascending whole numbers are a scale too; any other rateValues become a single choice question. The scale's type is
/// decided by <see cref="Classify"/>. minRateDescription/maxRateDescription become the end labels.
/// </summary>
internal static partial class RatingImporter
{
    private const string NotWhole = "A rate bound must be a whole number.";

    public static bool Rating(ImportContext ctx, JsonProps props, Shape shape)
    {
        var minLabel = ctx.Text(props.Take(out var minLabelPath, "minRateDescription", "mininumRateDescription"), minLabelPath);
        var maxLabel = ctx.Text(props.Take(out var maxLabelPath, "maxRateDescription", "maximumRateDescription"), maxLabelPath);
        var autoGenerate = ctx.Bool(props.Take(out var autoPath, "autoGenerate"), autoPath);
        var valuesNode = props.Take(out var valuesPath, "rateValues");
        var stepNode = props.Take(out var stepPath, "rateStep");
        var minNode = props.Take(out var minPath, "rateMin");
        var maxNode = props.Take(out var maxPath, "rateMax");
        var countNode = props.Take(out var countPath, "rateCount");

        var items = new List<Choice>();
        if (autoGenerate != true) ChoiceImporter.Read(ctx, valuesNode, valuesPath, items);
        int min, max;
        if (items.Count > 0)
        {
            if (Consecutive(items) is not (var first, var last))
            {
                ctx.Issue(valuesPath, "Rate values that are not consecutive whole numbers are not a scale; the question was imported as a single choice.");
                if (minLabel is not null || maxLabel is not null) ctx.Issue(minLabel is not null ? minLabelPath : maxLabelPath, "A single choice question has no end labels; the rate descriptions were dropped.");
                shape.Type = QuestionType.SingleChoice;
                shape.Choices = items;
                return true;
            }
            if (items.Any(c => c.Text.Values.Any(t => t != c.Value)))
                ctx.Issue(valuesPath, "The texts of single rate values are not supported; the scale shows its numbers.");
            (min, max) = (first, last);
        }
        else
        {
            var step = ctx.Number(stepNode, stepPath) ?? 1;
            if (step != 1)
            {
                ctx.Issue(stepPath, $"A rate step of {step.ToString(CultureInfo.InvariantCulture)} is not supported (scales count in ones); the question was skipped.");
                return false;
            }
            var rateMin = ctx.Int(minNode, minPath, NotWhole);
            var rateMax = ctx.Int(maxNode, maxPath, NotWhole);
            var count = ctx.Int(countNode, countPath);
            if ((minNode is not null && rateMin is null) || (maxNode is not null && rateMax is null))
            {
                ctx.Issue(props.Path, "The rating's scale could not be read; the question was skipped.");
                return false;
            }
            min = rateMin ?? (rateMax is { } m && count is { } c ? m - (c - 1) : 1);
            max = rateMax ?? (rateMin is { } n && count is { } d ? n + (d - 1) : 5);
        }

        shape.Type = Classify(min, max, shape.Name, shape.Title);
        if (shape.Type == QuestionType.Rating)
        {
            if (min < 0 || max > 100 || max - min < 1 || max - min > 20)
            {
                ctx.Issue(props.Path, $"A rating scale from {min} to {max} is not supported (0 to 100, 2 to 21 points); the question was skipped.");
                return false;
            }
            (shape.ScaleMin, shape.ScaleMax) = (min, max);
        }
        (shape.MinLabel, shape.MaxLabel) = (minLabel, maxLabel);
        return true;
    }

    /// <summary>
    /// The scale type of a rating from <paramref name="min"/> to <paramref name="max"/>, decided in this order:
    /// 0..10 is NPS; 1..5 is CSAT when the name or the title mentions "csat", "satisf" or "满意", else a rating 1..5;
    /// 1..7 is CES when the name or the title mentions "ces" (as a word), "effort", "easy", "费力" or "容易", else a rating 1..7;
    /// any other range is a rating over that range. Matching ignores case and looks at the title in every locale.
    /// </summary>
    internal static QuestionType Classify(int min, int max, string name, LocalizedText title)
    {
        var texts = title.Values.Prepend(name).ToList();
        bool Mentions(params string[] words) => texts.Any(t => words.Any(w => t.Contains(w, StringComparison.OrdinalIgnoreCase)));
        return (min, max) switch
        {
            (0, 10) => QuestionType.Nps,
            (1, 5) when Mentions("csat", "satisf", "满意") => QuestionType.Csat,
            (1, 7) when Mentions("effort", "easy", "费力", "容易") || texts.Any(t => CesWord().IsMatch(t)) => QuestionType.Ces,
            _ => QuestionType.Rating,
        };
    }

    /// <summary>"ces" not inside a longer word ("ces", "q_ces", "cesScore", "CES"; not "services" or "process").</summary>
    [GeneratedRegex("(?<![A-Za-z])[Cc][Ee][Ss](?![a-z])")]
    private static partial Regex CesWord();

    private static (int First, int Last)? Consecutive(List<Choice> items)
    {
        var numbers = new List<int>();
        foreach (var item in items)
        {
            if (!int.TryParse(item.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return null;
            if (numbers.Count > 0 && n != numbers[^1] + 1) return null;
            numbers.Add(n);
        }
        return numbers.Count >= 2 ? (numbers[0], numbers[^1]) : null;
    }
}
