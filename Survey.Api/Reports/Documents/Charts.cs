using ScottPlot;

namespace Survey.Api.Reports.Documents;

/// <summary>The reports' ScottPlot charts. They are drawn as vectors by <see cref="Layout.Chart"/>; sizes are in points.</summary>
internal static class Charts
{
    private static readonly Color Ink = Color.FromHex("#344054"), Muted = Color.FromHex("#98A2B3"), GridLine = Color.FromHex("#EAECF0");
    private static readonly Color Primary = Color.FromHex("#1D4ED8"), Reference = Color.FromHex("#F79009");
    private static readonly Color Up = Color.FromHex("#12B76A"), Down = Color.FromHex("#F04438");

    /// <summary>NPS per period with a reference line (the region's or the nation's average); periods without a value leave a gap.</summary>
    public const uint PrimaryColor = 0xFF1D4ED8, ReferenceColor = 0xFFF79009;

    public static Plot Trend(IReadOnlyList<Survey.Api.Reports.TrendPoint> points, string font, bool small = false)
    {
        var plot = Base(font, small ? 6 : 7);
        var xs = Enumerable.Range(0, points.Count).Select(i => (double)i).ToArray();
        AddSegments(plot, xs, points.Select(p => p.RegionAverage).ToArray(), Reference, small ? 1 : 1.5f, LinePattern.Dashed, small ? 0 : 3);
        AddSegments(plot, xs, points.Select(p => p.Value).ToArray(), Primary, small ? 1.25f : 2, LinePattern.Solid, small ? 2 : 4);

        var step = small ? Math.Max(1, (points.Count + 2) / 3) : points.Count > 8 ? 2 : 1;
        var ticks = Enumerable.Range(0, points.Count).Where(i => (points.Count - 1 - i) % step == 0).ToArray();
        plot.Axes.Bottom.SetTicks(ticks.Select(i => (double)i).ToArray(), ticks.Select(i => points[i].Period).ToArray());
        var values = points.SelectMany(p => new[] { p.Value, p.RegionAverage }).OfType<double>().ToList();
        var (lo, hi) = values.Count == 0 ? (-10d, 10d) : (values.Min(), values.Max());
        var pad = Math.Max(5, (hi - lo) * 0.15);
        plot.Axes.SetLimits(-0.4, Math.Max(1, points.Count - 0.6), Math.Max(-100, Math.Floor((lo - pad) / 5) * 5), Math.Min(100, Math.Ceiling((hi + pad) / 5) * 5));
        plot.Layout.Fixed(small ? new PixelPadding(24, 6, 16, 7) : new PixelPadding(30, 8, 20, 8));
        return plot;
    }

    /// <summary>Dealer minus region per driver, as horizontal bars: green where the dealer is ahead, red where it is behind.</summary>
    public static Plot DriverGaps(IReadOnlyList<Survey.Api.Reports.DriverGap> drivers, string font, float labelWidth)
    {
        var plot = Base(font, 7);
        var n = drivers.Count;
        var bars = drivers.Select((d, i) => new Bar
        {
            Position = n - 1 - i,
            Value = d.Gap,
            FillColor = d.Gap >= 0 ? Up : Down,
            LineWidth = 0,
            Size = 0.6,
            Orientation = Orientation.Horizontal,
        }).ToList();
        plot.Add.Bars(bars);
        var zero = plot.Add.VerticalLine(0);
        zero.LineColor = Ink;
        zero.LineWidth = 0.75f;
        var extent = Math.Max(5, Math.Ceiling(drivers.Select(d => Math.Abs(d.Gap)).DefaultIfEmpty(0).Max() / 5) * 5);
        plot.Axes.SetLimits(-extent, extent, -0.6, n - 0.4);
        plot.Axes.Left.SetTicks(drivers.Select((_, i) => (double)(n - 1 - i)).ToArray(), drivers.Select(d => d.Driver).ToArray());
        plot.Layout.Fixed(new PixelPadding(labelWidth, 10, 18, 4));
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        return plot;
    }

    private static Plot Base(string font, float size)
    {
        var plot = new Plot();
        plot.Font.Set(font);
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;
        plot.Grid.MajorLineColor = GridLine;
        plot.Grid.MajorLineWidth = 0.5f;
        foreach (var axis in new IAxis[] { plot.Axes.Left, plot.Axes.Bottom })
        {
            axis.TickLabelStyle.FontSize = size;
            axis.TickLabelStyle.ForeColor = Ink;
            axis.MajorTickStyle.Length = 2;
            axis.MajorTickStyle.Color = Muted;
            axis.MinorTickStyle.Length = 0;
            axis.FrameLineStyle.Color = Muted;
            axis.FrameLineStyle.Width = 0.5f;
        }
        plot.Axes.Right.FrameLineStyle.Width = 0;
        plot.Axes.Top.FrameLineStyle.Width = 0;
        return plot;
    }

    /// <summary>A line through the points that have a value; a missing value breaks the line.</summary>
    private static void AddSegments(Plot plot, double[] xs, double?[] ys, Color color, float width, LinePattern pattern, float marker)
    {
        var i = 0;
        while (i < ys.Length)
        {
            if (ys[i] is null) { i++; continue; }
            var start = i;
            while (i < ys.Length && ys[i] is not null) i++;
            var line = plot.Add.Scatter(xs[start..i], ys[start..i].Select(y => y!.Value).ToArray(), color);
            line.LineWidth = width;
            line.LinePattern = pattern;
            line.MarkerSize = marker;
        }
    }
}
