using SkiaSharp;

namespace Survey.Api.Reports.Layout;

/// <summary>
/// A key figure: label, value, a detail line (margin of error, sample) and the change against the previous period.
/// A suppressed figure shows <see cref="SuppressedText"/> instead of a number.
/// </summary>
public sealed record KpiTile(string Label, string Value, string? Detail = null, string? Change = null, uint ChangeColor = 0xFF667085,
    bool Suppressed = false, string SuppressedText = "insufficient data")
{
    /// <summary>The change sits beside the label, so the detail line (e.g. "±71.8 · n=1,234") has the tile's whole width.</summary>
    public Element ToElement() => new Box(new Column([
        new Row(4, (new Text(Label, new TextStyle(7.5f, Color: 0xFF667085), maxLines: 1), 1.4f),
            (new Text(Suppressed ? "" : Change ?? "", new TextStyle(7.5f, Bold: true, Color: ChangeColor, Align: Align.Right), maxLines: 1), 1f)),
        new Spacer(2),
        Suppressed
            ? new Text(SuppressedText, new TextStyle(10.5f, Bold: true, Color: 0xFF98A2B3, LineHeight: 2.05f), maxLines: 1)
            : new Text(Value, new TextStyle(17, Bold: true, Color: 0xFF101828, LineHeight: 1.25f), maxLines: 1),
        new Text(Suppressed ? "" : Detail ?? "", new TextStyle(7, Color: 0xFF667085), maxLines: 1),
    ]), padding: 7, background: 0xFFFFFFFF, border: 0xFFE4E7EC, radius: 4);
}
