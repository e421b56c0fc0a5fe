using Survey.Api.Reports.Layout;
using UglyToad.PdfPig;

namespace Survey.Tests.Reports;

public class LayoutTests
{
    private static byte[] Render(Document document, out PdfResult result)
    {
        using var stream = new MemoryStream();
        result = PdfWriter.Write(document, TestFonts.Set, stream);
        return stream.ToArray();
    }

    private static Document Doc(params Section[] sections) =>
        new("Layout test", "tests", new DateTime(2026, 3, 31, 0, 0, 0, DateTimeKind.Utc), sections, "Footer text");

    [Fact]
    public void A_table_longer_than_a_page_repeats_its_header_on_every_page_and_keeps_every_row_once_in_order()
    {
        var rows = Enumerable.Range(1, 180).Select(i => new TableRow([$"R{i:000}", $"Dealer number {i}", $"{i * 3}"])).ToList();
        var table = new Table([new TableColumn("CodeHead", 1), new TableColumn("NameHead", 3), new TableColumn("ValueHead", 1, Align.Right)], rows);
        var bytes = Render(Doc(new Section([new Text("Intro paragraph"), table], "Left", "Right")), out var result);
        TestFonts.Save("layout-table.pdf", bytes);

        var pdf = new PdfText(bytes);
        result.PageCount.ShouldBeGreaterThanOrEqualTo(3);
        pdf.Pages.Count.ShouldBe(result.PageCount);
        foreach (var page in pdf.Pages)
        {
            page.ShouldContain("CodeHead");
            page.ShouldContain("NameHead");
            page.ShouldContain("ValueHead");
        }
        var codes = pdf.Lines.SelectMany(l => l).Select(l => l.Split(' ')[0]).Where(w => w.Length == 4 && w[0] == 'R').ToList();
        codes.ShouldBe(rows.Select(r => r.Cells[0]).ToList());
        // on every page the header is the first line of the body, above all rows of that page
        foreach (var lines in pdf.Lines.Skip(1)) lines[1].ShouldStartWith("CodeHead");
    }

    [Fact]
    public void Every_page_says_page_x_of_y_with_the_real_page_count()
    {
        var sections = Enumerable.Range(1, 3).Select(s => new Section(
            [new Text($"Section {s}", new TextStyle(14, Bold: true)), .. Enumerable.Range(1, s * 25).Select(i => new Text($"Line {i} of section {s}"))],
            $"Header {s}", "right")).ToArray();
        var bytes = Render(Doc(sections) with { PageFormat = "Page {0} / {1}" }, out var result);
        var pdf = new PdfText(bytes);

        pdf.Pages.Count.ShouldBe(result.PageCount);
        result.PageCount.ShouldBeGreaterThan(3);
        for (var i = 0; i < pdf.Pages.Count; i++)
        {
            pdf.Pages[i].ShouldContain($"Page {i + 1} / {pdf.Pages.Count}");
            pdf.Count($"Page {i + 1} / ").ShouldBe(1);
        }
        // each section starts on a new page with its own header
        pdf.Pages.Count(p => p.Contains("Section 2")).ShouldBe(1);
        pdf.Pages.First(p => p.Contains("Section 2")).ShouldContain("Header 2");
        pdf.Pages.First(p => p.Contains("Section 2")).ShouldNotContain("section 1");
    }

    [Fact]
    public void Long_text_wraps_inside_its_column_and_mixed_Chinese_and_Latin_text_is_drawn_with_real_glyphs()
    {
        var latin = string.Join(" ", Enumerable.Range(1, 60).Select(i => $"word{i}"));
        var chinese = string.Concat(Enumerable.Repeat("服务顾问态度很好，交车准时。", 8)) + "Service advisor Wang";
        var narrow = new Row(20, (new Text(latin), 1f), (new Text(chinese), 1f));
        var bytes = Render(Doc(new Section([narrow], "包含中文的页眉 Header", "2026-03")), out _);
        TestFonts.Save("layout-wrap.pdf", bytes);

        using var pdf = PdfDocument.Open(bytes);
        var page = pdf.GetPage(1);
        var words = page.GetWords().Where(w => w.Text.StartsWith("word")).ToList();
        words.Select(w => w.Text).ShouldBe(Enumerable.Range(1, 60).Select(i => $"word{i}"));
        var lines = words.Select(w => Math.Round(w.BoundingBox.Bottom)).Distinct().Count();
        lines.ShouldBeGreaterThan(3);
        var columnRight = PdfWriter.MarginX + (PdfWriter.PageWidth - 2 * PdfWriter.MarginX - 20) / 2;
        words.Max(w => w.BoundingBox.Right).ShouldBeLessThanOrEqualTo(columnRight + 0.5);

        var letters = page.Letters.Where(l => l.Location.X > columnRight + 10).ToList();
        var text = string.Concat(letters.Select(l => l.Value));
        text.ShouldContain("服务顾问态度很好，交车准时。");
        text.ShouldContain("Service");
        letters.Select(l => Math.Round(l.Location.Y)).Distinct().Count().ShouldBeGreaterThan(3);
        letters.Max(l => l.BoundingBox.Right).ShouldBeLessThanOrEqualTo(PdfWriter.PageWidth - PdfWriter.MarginX + 0.5);
        page.Text.ShouldContain("包含中文的页眉 Header");
        // no tofu: every character maps back to itself (a missing glyph would come back as nothing or as U+FFFD)
        page.Text.ShouldNotContain("\uFFFD");
    }

    [Fact]
    public void Sections_with_bookmarks_get_named_destinations_and_links_point_at_them()
    {
        var contents = new Section([new Link(new Text("Go to B"), "dest-b")], "Contents", "");
        var a = new Section([new Text("Section A body")], "A", "", new Bookmark("dest-a", "Section A"));
        var b = new Section([new Text("Section B body")], "B", "", new Bookmark("dest-b", "Section B"));
        var bytes = Render(Doc(contents, a, b), out var result);

        result.Bookmarks.Select(x => (x.Bookmark.Title, x.Page)).ShouldBe([("Section A", 2), ("Section B", 3)]);
        var raw = System.Text.Encoding.Latin1.GetString(bytes);
        raw.ShouldContain("/dest-a");
        raw.ShouldContain("/dest-b");
        using var pdf = PdfDocument.Open(bytes);
        var link = pdf.GetPage(1).GetAnnotations().Single(a => a.Type == UglyToad.PdfPig.Annotations.AnnotationType.Link);
        link.AnnotationDictionary.Data["Dest"].ToString()!.ShouldContain("dest-b");
        pdf.TryGetBookmarks(out var outline).ShouldBeTrue();
        var entries = outline.GetNodes().OfType<UglyToad.PdfPig.Outline.DocumentBookmarkNode>().Select(n => (n.Title, n.PageNumber)).ToList();
        entries.ShouldBe([("Section A", 2), ("Section B", 3)]);
    }
}
