using SkiaSharp;

namespace Survey.Api.Reports.Layout;

/// <summary>A ScottPlot plot drawn as vectors straight onto the PDF page (no raster image in between).</summary>
public sealed class Chart(ScottPlot.Plot plot, float height) : Element
{
    public override float Measure(LayoutContext context, float width) => height;

    public override void Draw(DrawContext context, SKRect area)
    {
        var canvas = context.Canvas;
        canvas.Save();
        canvas.ClipRect(area);
        canvas.Translate(area.Left, area.Top);
        plot.Render(canvas, (int)Math.Round(area.Width), (int)Math.Round(area.Height));
        canvas.Restore();
    }
}
