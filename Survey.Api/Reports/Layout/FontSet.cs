using SkiaSharp;

namespace Survey.Api.Reports.Layout;

/// <summary>
/// The typefaces a document is set in: a CJK face (regular, bold) and optionally a separate Latin face. Each character is
/// drawn with the Latin face when it has the glyph and with the CJK face otherwise, so Chinese dealer names inside English
/// text never become tofu. Without a Latin face, Noto Sans CJK's own Latin glyphs are used (see <see cref="ReportFontOptions"/>).
/// </summary>
public sealed class FontSet : IDisposable
{
    private readonly SKTypeface latin, latinBold, cjk, cjkBold;

    public FontSet(SKTypeface latin, SKTypeface latinBold, SKTypeface cjk, SKTypeface cjkBold)
    {
        (this.latin, this.latinBold, this.cjk, this.cjkBold) = (latin, latinBold, cjk, cjkBold);
        UnicodeFixes = PdfFinishing.SharedGlyphFixes(cjk);
    }

    /// <summary>Code points whose glyph the CJK face shares with an ideograph, and that ideograph (for text extraction).</summary>
    public IReadOnlyDictionary<int, int> UnicodeFixes { get; }

    public string LatinFamily => latin.FamilyName;
    public string CjkFamily => cjk.FamilyName;

    public SKTypeface Pick(int codePoint, bool bold)
    {
        var primary = bold ? latinBold : latin;
        if (codePoint < 0x250 || primary.ContainsGlyph(codePoint)) return primary;
        return bold ? cjkBold : cjk;
    }

    /// <summary>Splits text into runs that share one typeface.</summary>
    public IEnumerable<(string Text, SKTypeface Face)> Runs(string text, bool bold)
    {
        var start = 0;
        SKTypeface? current = null;
        for (var i = 0; i < text.Length;)
        {
            var cp = char.ConvertToUtf32(text, i);
            var width = char.IsSurrogatePair(text, i) ? 2 : 1;
            var face = char.IsWhiteSpace(text[i]) && current is not null ? current : Pick(cp, bold);
            if (current is not null && !ReferenceEquals(face, current))
            {
                yield return (text[start..i], current);
                start = i;
            }
            current = face;
            i += width;
        }
        if (current is not null && start < text.Length) yield return (text[start..], current);
    }

    public float Measure(string text, float size, bool bold)
    {
        var width = 0f;
        foreach (var (run, face) in Runs(text, bold))
        {
            using var font = NewFont(face, size);
            width += font.MeasureText(run);
        }
        return width;
    }

    public void Draw(SKCanvas canvas, string text, float x, float baseline, float size, bool bold, SKPaint paint)
    {
        foreach (var (run, face) in Runs(text, bold))
        {
            using var font = NewFont(face, size);
            canvas.DrawText(run, x, baseline, SKTextAlign.Left, font, paint);
            x += font.MeasureText(run);
        }
    }

    private static SKFont NewFont(SKTypeface face, float size) =>
        new(face, size) { Subpixel = true, Edging = SKFontEdging.Antialias, Hinting = SKFontHinting.None };

    /// <summary>Loads the faces from font files; a .ttc collection is searched for the face whose family is asked for.</summary>
    public static FontSet Load(ReportFontOptions options)
    {
        var missing = new[] { options.LatinRegular, options.LatinBold, options.CjkRegular, options.CjkBold }
            .Where(p => !string.IsNullOrEmpty(p) && !File.Exists(p)).Select(p => p!).ToList();
        if (missing.Count > 0) throw new ReportFontsMissingException(missing);
        var cjk = Open(options.CjkRegular, options.CjkFamily);
        var cjkBold = Open(options.CjkBold, options.CjkFamily);
        return new FontSet(
            string.IsNullOrEmpty(options.LatinRegular) ? cjk : Open(options.LatinRegular, null),
            string.IsNullOrEmpty(options.LatinBold) ? cjkBold : Open(options.LatinBold, null),
            cjk, cjkBold);
    }

    private static SKTypeface Open(string path, string? family)
    {
        SKTypeface? first = null;
        for (var index = 0; index < 16; index++)
        {
            var face = SKTypeface.FromFile(path, index);
            if (face is null) break;
            if (family is null || face.FamilyName.Equals(family, StringComparison.OrdinalIgnoreCase))
            {
                if (!ReferenceEquals(first, face)) first?.Dispose();
                return face;
            }
            if (first is null) first = face; else face.Dispose();
        }
        return first ?? throw new ReportFontsMissingException([path]);
    }

    public void Dispose()
    {
        foreach (var face in new[] { latin, latinBold, cjk, cjkBold }.Distinct()) face.Dispose();
    }
}

/// <summary>
/// Where the report fonts are (section <c>Reports:Fonts</c>). By default everything is set in Noto Sans CJK SC (Debian's
/// fonts-noto-cjk), whose Latin glyphs are Source Sans. Skia's PDF backend in SkiaSharp 3.119 embeds CFF-based OpenType
/// fonts such as Noto CJK as Type 3 fonts that hold only the glyphs used, but embeds TrueType fonts whole (no subsetting),
/// e.g. 650 KB per Lato weight; so a separate Latin font is optional: set <see cref="LatinRegular"/>/<see cref="LatinBold"/>.
/// </summary>
public sealed class ReportFontOptions
{
    public string? LatinRegular { get; set; }
    public string? LatinBold { get; set; }
    public string CjkRegular { get; set; } = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    public string CjkBold { get; set; } = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc";
    /// <summary>The face to take from a collection (.ttc): Simplified Chinese glyph forms.</summary>
    public string CjkFamily { get; set; } = "Noto Sans CJK SC";
}

public sealed class ReportFontsMissingException(IReadOnlyList<string> paths) : Exception(
    "PDF reports need fonts that are not on this machine: " + string.Join(", ", paths) + ". " +
    "Install them (Debian: apt-get install fonts-noto-cjk) or point Reports__Fonts__CjkRegular and " +
    "Reports__Fonts__CjkBold (and the optional Reports__Fonts__LatinRegular/LatinBold) at other font files.")
{
    public IReadOnlyList<string> Paths { get; } = paths;
}
