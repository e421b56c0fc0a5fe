using System.Globalization;
using SkiaSharp;

namespace Survey.Api.Reports.Layout;

/// <summary>What was written: the number of pages and the page each bookmark landed on (1-based).</summary>
public sealed record PdfResult(int PageCount, IReadOnlyList<(Bookmark Bookmark, int Page)> Bookmarks);

/// <summary>
/// Lays a <see cref="Document"/> out on A4 pages and writes it with Skia's PDF backend. Layout runs first over the whole
/// document, so every footer knows the page count; then each page is drawn: header, body, footer with "page x / y".
/// </summary>
public static class PdfWriter
{
    public const float PageWidth = 595.28f, PageHeight = 841.89f;
    public const float MarginX = 40, BodyTop = 66, BodyBottom = PageHeight - 50;
    private const float BlockSpacing = 10;

    private sealed record Placement(Element Element, SKRect Area);
    private sealed record Page(Section Section, List<Placement> Placements);

    public static PdfResult Write(Document document, FontSet fonts, Stream output)
    {
        var context = new LayoutContext(fonts);
        var pages = new List<Page>();
        var bookmarks = new List<(Bookmark, int)>();
        foreach (var section in document.Sections)
        {
            if (section.Bookmark is { } bookmark) bookmarks.Add((bookmark, pages.Count + 1));
            Flow(context, section, pages);
        }

        var metadata = new SKDocumentPdfMetadata
        {
            Title = document.Title,
            Author = document.Author,
            Creator = "Survey engine",
            Producer = "Survey engine (Skia PDF)",
            Creation = document.Date,
            Modified = document.Date,
            RasterDpi = 144,
            EncodingQuality = 90,
        };
        using var raw = new MemoryStream();
        using (var pdf = SKDocument.CreatePdf(raw, metadata))
        {
            for (var i = 0; i < pages.Count; i++)
            {
                var canvas = pdf.BeginPage(PageWidth, PageHeight);
                var draw = new DrawContext(canvas, fonts, i + 1, pages.Count);
                var page = pages[i];
                if (page.Section.Bookmark is { } b && bookmarks.Any(x => ReferenceEquals(x.Item1, b) && x.Item2 == i + 1))
                    canvas.DrawNamedDestinationAnnotation(new SKPoint(0, 0), b.Destination);
                DrawHeader(draw, page.Section);
                foreach (var placement in page.Placements) placement.Element.Draw(draw, placement.Area);
                DrawFooter(draw, document);
                pdf.EndPage();
            }
            pdf.Close();
        }
        var finished = PdfFinishing.Finish(raw.ToArray(), fonts.UnicodeFixes, bookmarks);
        output.Write(finished);
        return new PdfResult(pages.Count, bookmarks);
    }

    private static void Flow(LayoutContext context, Section section, List<Page> pages)
    {
        const float width = PageWidth - 2 * MarginX;
        var page = new Page(section, []);
        pages.Add(page);
        var y = BodyTop;
        var queue = new LinkedList<Element>(section.Content);
        while (queue.First is { } node)
        {
            var element = node.Value;
            queue.RemoveFirst();
            if (element is PageBreak)
            {
                if (page.Placements.Count > 0) NewPage();
                continue;
            }
            var gap = page.Placements.Count > 0 ? BlockSpacing : 0;
            var height = element.Measure(context, width);
            if (y + gap + height <= BodyBottom)
            {
                Place(element, y + gap, height);
                continue;
            }
            if (element.Split(context, width, BodyBottom - y - gap) is { } split)
            {
                Place(split.Head, y + gap, split.Head.Measure(context, width));
                queue.AddFirst(split.Tail);
                NewPage();
                continue;
            }
            if (page.Placements.Count == 0)
            {
                // taller than a page and cannot split: drawn clipped to the page rather than lost
                Place(element, y, Math.Min(height, BodyBottom - y));
                NewPage();
                continue;
            }
            queue.AddFirst(element);
            NewPage();
        }
        if (page.Placements.Count == 0 && pages.Count > 1 && pages[^1] == page) pages.RemoveAt(pages.Count - 1);

        void Place(Element element, float top, float height)
        {
            page.Placements.Add(new Placement(element, new SKRect(MarginX, top, MarginX + width, top + height)));
            y = top + height;
        }

        void NewPage()
        {
            page = new Page(section, []);
            pages.Add(page);
            y = BodyTop;
        }
    }

    private static void DrawHeader(DrawContext context, Section section)
    {
        var canvas = context.Canvas;
        using var accent = new SKPaint { Color = new SKColor(0xFF1D4ED8), Style = SKPaintStyle.Fill };
        canvas.DrawRect(new SKRect(0, 0, PageWidth, 4), accent);
        var style = new TextStyle(8, Color: 0xFF475467);
        new Text(section.HeaderLeft, style.WithBold(), maxLines: 1).Draw(context, new SKRect(MarginX, 26, PageWidth / 2 + 60, 40));
        new Text(section.HeaderRight, style.WithAlign(Align.Right), maxLines: 1).Draw(context, new SKRect(PageWidth / 2 + 60, 26, PageWidth - MarginX, 40));
        using var rule = new SKPaint { Color = new SKColor(0xFFD0D5DD), StrokeWidth = 0.75f, IsAntialias = true };
        canvas.DrawLine(MarginX, 44, PageWidth - MarginX, 44, rule);
    }

    private static void DrawFooter(DrawContext context, Document document)
    {
        var canvas = context.Canvas;
        using var rule = new SKPaint { Color = new SKColor(0xFFE4E7EC), StrokeWidth = 0.5f, IsAntialias = true };
        var top = PageHeight - 36;
        canvas.DrawLine(MarginX, top, PageWidth - MarginX, top, rule);
        var style = new TextStyle(7.5f, Color: 0xFF667085);
        new Text(document.FooterLeft, style, maxLines: 1).Draw(context, new SKRect(MarginX, top + 6, PageWidth - MarginX - 120, top + 18));
        var number = string.Format(CultureInfo.InvariantCulture, document.PageFormat, context.PageNumber, context.PageCount);
        new Text(number, style.WithAlign(Align.Right), maxLines: 1).Draw(context, new SKRect(PageWidth - MarginX - 120, top + 6, PageWidth - MarginX, top + 18));
    }
}
