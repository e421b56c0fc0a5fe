using System.Globalization;

namespace Survey.Api.Reports.Documents;

/// <summary>Numbers as printed: invariant culture, so the same model always gives the same text.</summary>
internal static class Format
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    public const uint Good = 0xFF067647, Bad = 0xFFB42318, Neutral = 0xFF667085, Blue = 0xFF1D4ED8, Grey = 0xFF98A2B3;

    public static string Number(double value, int decimals = 1) => value.ToString("F" + decimals, C);
    public static string Integer(double value) => Math.Round(value).ToString("N0", C);
    public static string Percent(double value, int decimals = 1) => value.ToString("F" + decimals, C) + "%";
    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", C);

    /// <summary>"▲ 2.1", "▼ 0.4" or "– 0.0", and the colour for it (a rise is good unless <paramref name="lowerIsBetter"/>).</summary>
    public static (string Text, uint Color) Change(double? change, int decimals = 1, string unit = "", bool lowerIsBetter = false)
    {
        if (change is not { } c) return ("", Neutral);
        var rounded = Math.Round(c, decimals);
        if (rounded == 0) return ("– " + Math.Abs(rounded).ToString("F" + decimals, C) + unit, Neutral);
        var up = rounded > 0;
        return ((up ? "▲ " : "▼ ") + Math.Abs(rounded).ToString("F" + decimals, C) + unit, up != lowerIsBetter ? Good : Bad);
    }

    /// <summary>A rank as printed: "3 / 48", "=3 / 48" when tied.</summary>
    public static string Rank(Rank rank) => rank.Position <= 0 ? "– / " + rank.Of.ToString(C) : (rank.Tied ? "=" : "") + rank.Position.ToString(C) + " / " + rank.Of.ToString(C);

    /// <summary>Movement in a ranking: up is a smaller position.</summary>
    public static (string Text, uint Color) Movement(Rank rank, ReportLabels labels)
    {
        if (rank.Position <= 0) return ("", Neutral);
        if (rank.Previous is not { } previous) return (labels.New, Neutral);
        var moved = previous - rank.Position;
        return moved switch
        {
            > 0 => ("▲ " + moved.ToString(C), Good),
            < 0 => ("▼ " + (-moved).ToString(C), Bad),
            _ => ("–", Neutral),
        };
    }
}
