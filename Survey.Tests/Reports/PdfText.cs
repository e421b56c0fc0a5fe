using Survey.Api.Reports.Layout;
using UglyToad.PdfPig;

namespace Survey.Tests.Reports;

/// <summary>Reads a PDF back with PdfPig, the way a reader's text extraction sees it.</summary>
public sealed class PdfText
{
    public PdfText(byte[] bytes)
    {
        Bytes = bytes;
        using var pdf = PdfDocument.Open(bytes);
        Pages = pdf.GetPages().Select(p => p.Text).ToList();
        Lines = pdf.GetPages().Select(p => p.GetWords()
                .GroupBy(w => Math.Round(w.Letters[0].StartBaseLine.Y))
                .OrderByDescending(g => g.Key)
                .Select(g => string.Join(" ", g.OrderBy(w => w.BoundingBox.Left).Select(w => w.Text)))
                .ToList())
            .ToList();
    }

    public byte[] Bytes { get; }
    public IReadOnlyList<string> Pages { get; }

    /// <summary>Per page, its words grouped into lines by baseline, top to bottom.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Lines { get; }

    public string All => string.Join("\n", Pages);

    /// <summary>Occurrences of <paramref name="text"/> in the whole document.</summary>
    public int Count(string text)
    {
        var count = 0;
        for (var i = All.IndexOf(text, StringComparison.Ordinal); i >= 0; i = All.IndexOf(text, i + text.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}

/// <summary>One set of the machine's report fonts for the test run (loading the CJK collection takes a moment).</summary>
public static class TestFonts
{
    private static readonly Lazy<FontSet> Shared = new(() => FontSet.Load(new ReportFontOptions()));
    public static FontSet Set => Shared.Value;

    /// <summary>Where the tests leave their PDFs for a person to look at (rendered with pdftoppm on demand).</summary>
    public static string Save(string name, byte[] bytes)
    {
        var dir = Path.Combine(Path.GetTempPath(), "survey-reports");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
