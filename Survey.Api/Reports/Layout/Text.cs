using SkiaSharp;

namespace Survey.Api.Reports.Layout;

/// <summary>A paragraph: wrapped at spaces and between CJK characters, split across pages between lines.</summary>
public sealed class Text : Element
{
    private readonly string text;
    private readonly TextStyle style;
    private readonly int? maxLines;
    private List<string>? lines;
    private float linesWidth = -1;

    public Text(string text, TextStyle? style = null, int? maxLines = null)
    {
        this.text = text;
        this.style = style ?? new TextStyle();
        this.maxLines = maxLines;
    }

    private Text(List<string> lines, TextStyle style, float width) : this(string.Join(' ', lines), style)
    {
        this.lines = lines;
        linesWidth = width;
    }

    public string Content => text;
    private float LineHeight => style.Size * style.LineHeight;

    public override float Measure(LayoutContext context, float width) => Lines(context.Fonts, width).Count * LineHeight;

    public override (Element Head, Element Tail)? Split(LayoutContext context, float width, float height)
    {
        var all = Lines(context.Fonts, width);
        var fit = (int)(height / LineHeight);
        if (fit < 1 || fit >= all.Count) return null;
        return (new Text(all[..fit], style, width), new Text(all[fit..], style, width));
    }

    public override void Draw(DrawContext context, SKRect area)
    {
        using var paint = new SKPaint { Color = style.SkColor, IsAntialias = true };
        var baseline = area.Top + style.Size * 0.93f + (LineHeight - style.Size) / 2;
        foreach (var line in Lines(context.Fonts, area.Width))
        {
            var x = area.Left;
            if (style.Align != Align.Left)
            {
                var w = context.Fonts.Measure(line, style.Size, style.Bold);
                x = style.Align == Align.Right ? area.Right - w : area.Left + (area.Width - w) / 2;
            }
            context.Fonts.Draw(context.Canvas, line, x, baseline, style.Size, style.Bold, paint);
            baseline += LineHeight;
        }
    }

    private List<string> Lines(FontSet fonts, float width)
    {
        if (lines is not null && Math.Abs(linesWidth - width) < 0.01f) return lines;
        lines = Wrap(fonts, text, style, width);
        if (maxLines is { } max && lines.Count > max)
        {
            lines = lines[..max];
            var last = lines[^1];
            while (last.Length > 0 && fonts.Measure(last + "…", style.Size, style.Bold) > width) last = last[..^1];
            lines[^1] = last.TrimEnd() + "…";
        }
        linesWidth = width;
        return lines;
    }

    /// <summary>Greedy line breaking: at spaces, before and after CJK characters, and inside words longer than a line.</summary>
    public static List<string> Wrap(FontSet fonts, string text, TextStyle style, float width)
    {
        var result = new List<string>();
        foreach (var paragraph in text.Replace("\r\n", "\n").Split('\n'))
        {
            var line = "";
            foreach (var token in Tokens(paragraph))
            {
                var candidate = line + token;
                if (line.Length == 0 || fonts.Measure(candidate.TrimEnd(), style.Size, style.Bold) <= width)
                {
                    line = line.Length == 0 ? token.TrimStart() : candidate;
                    while (line.Length > 1 && fonts.Measure(line.TrimEnd(), style.Size, style.Bold) > width)
                    {
                        var cut = line.Length - 1;
                        while (cut > 1 && fonts.Measure(line[..cut], style.Size, style.Bold) > width) cut--;
                        result.Add(line[..cut]);
                        line = line[cut..];
                    }
                    continue;
                }
                result.Add(line.TrimEnd());
                line = token.TrimStart();
            }
            result.Add(line.TrimEnd());
        }
        return result;
    }

    private static IEnumerable<string> Tokens(string paragraph)
    {
        var start = 0;
        for (var i = 0; i < paragraph.Length; i++)
        {
            var c = paragraph[i];
            if (IsCjk(c))
            {
                if (i > start) yield return paragraph[start..i];
                // keep closing punctuation with the character before it
                var end = i + 1;
                while (end < paragraph.Length && "，。、；：！？）》」』,.;:!?)".Contains(paragraph[end])) end++;
                yield return paragraph[i..end];
                start = end;
                i = end - 1;
            }
            else if (c == ' ' && i > start && paragraph[i - 1] != ' ')
            {
                yield return paragraph[start..i];
                start = i;
            }
        }
        if (start < paragraph.Length) yield return paragraph[start..];
    }

    private static bool IsCjk(char c) => c is >= '\u2E80' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF' or >= '\uFF00' and <= '\uFFEF' or >= '\uAC00' and <= '\uD7AF';
}
