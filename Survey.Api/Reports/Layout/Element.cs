using SkiaSharp;

namespace Survey.Api.Reports.Layout;

/// <summary>
/// A block of a document. The layout asks how tall it is at a given width, places it, and when it does not fit in what is
/// left of a page asks it to split; elements that cannot split move whole to the next page.
/// </summary>
public abstract class Element
{
    public abstract float Measure(LayoutContext context, float width);

    public abstract void Draw(DrawContext context, SKRect area);

    /// <summary>The part that fits into <paramref name="height"/> and the rest, or null when nothing useful fits.</summary>
    public virtual (Element Head, Element Tail)? Split(LayoutContext context, float width, float height) => null;
}

public sealed class LayoutContext(FontSet fonts)
{
    public FontSet Fonts { get; } = fonts;
}

public sealed class DrawContext(SKCanvas canvas, FontSet fonts, int pageNumber, int pageCount)
{
    public SKCanvas Canvas { get; } = canvas;
    public FontSet Fonts { get; } = fonts;
    public int PageNumber { get; } = pageNumber;
    public int PageCount { get; } = pageCount;
}

public enum Align { Left, Center, Right }

public sealed record TextStyle(float Size = 9, bool Bold = false, uint Color = 0xFF222222, Align Align = Align.Left, float LineHeight = 1.35f)
{
    public SKColor SkColor => new(Color);
    public TextStyle WithSize(float size) => this with { Size = size };
    public TextStyle WithColor(uint color) => this with { Color = color };
    public TextStyle WithBold(bool bold = true) => this with { Bold = bold };
    public TextStyle WithAlign(Align align) => this with { Align = align };
}

/// <summary>Vertical space.</summary>
public sealed class Spacer(float height) : Element
{
    public override float Measure(LayoutContext context, float width) => height;
    public override void Draw(DrawContext context, SKRect area) { }
}

/// <summary>Starts a new page (only meaningful at the top level of a section).</summary>
public sealed class PageBreak : Element
{
    public override float Measure(LayoutContext context, float width) => 0;
    public override void Draw(DrawContext context, SKRect area) { }
}

/// <summary>A named destination at this point of the page: links and the outline point here.</summary>
public sealed class Anchor(string name) : Element
{
    public string Name { get; } = name;
    public override float Measure(LayoutContext context, float width) => 0;
    public override void Draw(DrawContext context, SKRect area) =>
        context.Canvas.DrawNamedDestinationAnnotation(new SKPoint(area.Left, area.Top), Name);
}

/// <summary>A child that is a link to a named destination in the same document.</summary>
public sealed class Link(Element child, string destination) : Element
{
    public override float Measure(LayoutContext context, float width) => child.Measure(context, width);
    public override void Draw(DrawContext context, SKRect area)
    {
        child.Draw(context, area);
        context.Canvas.DrawLinkDestinationAnnotation(area, destination);
    }
}

/// <summary>A child with padding, an optional background, border and rounded corners.</summary>
public sealed class Box(Element child, float padding = 0, uint? background = null, uint? border = null, float radius = 0, float borderWidth = 0.75f) : Element
{
    public override float Measure(LayoutContext context, float width) => child.Measure(context, width - 2 * padding) + 2 * padding;

    public override void Draw(DrawContext context, SKRect area)
    {
        if (background is { } fill)
        {
            using var paint = new SKPaint { Color = new SKColor(fill), IsAntialias = true, Style = SKPaintStyle.Fill };
            context.Canvas.DrawRoundRect(area, radius, radius, paint);
        }
        if (border is { } stroke)
        {
            using var paint = new SKPaint { Color = new SKColor(stroke), IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = borderWidth };
            var inset = area;
            inset.Inflate(-borderWidth / 2, -borderWidth / 2);
            context.Canvas.DrawRoundRect(inset, radius, radius, paint);
        }
        child.Draw(context, new SKRect(area.Left + padding, area.Top + padding, area.Right - padding, area.Bottom - padding));
    }
}

/// <summary>A horizontal rule.</summary>
public sealed class Rule(uint color = 0xFFD0D5DD, float thickness = 0.75f, float spaceAround = 4) : Element
{
    public override float Measure(LayoutContext context, float width) => thickness + 2 * spaceAround;
    public override void Draw(DrawContext context, SKRect area)
    {
        using var paint = new SKPaint { Color = new SKColor(color), StrokeWidth = thickness, IsAntialias = true };
        var y = area.Top + spaceAround + thickness / 2;
        context.Canvas.DrawLine(area.Left, y, area.Right, y, paint);
    }
}

/// <summary>A raster image scaled to the width (or to a fixed height), keeping its aspect ratio.</summary>
public sealed class Image(SKImage image, float? height = null) : Element
{
    public override float Measure(LayoutContext context, float width) => height ?? width * image.Height / image.Width;
    public override void Draw(DrawContext context, SKRect area)
    {
        var scale = Math.Min(area.Width / image.Width, area.Height / image.Height);
        var dest = SKRect.Create(area.Left, area.Top, image.Width * scale, image.Height * scale);
        using var paint = new SKPaint { IsAntialias = true };
        context.Canvas.DrawImage(image, dest, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear), paint);
    }
}

/// <summary>Anything drawn directly on the canvas in a box of a fixed height (bars, markers).</summary>
public sealed class Canvas(float height, Action<DrawContext, SKRect> draw) : Element
{
    public override float Measure(LayoutContext context, float width) => height;
    public override void Draw(DrawContext context, SKRect area) => draw(context, area);
}
