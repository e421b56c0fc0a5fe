using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Survey.Api.Reports.Layout;

/// <summary>
/// What Skia's PDF backend does not do, added as an incremental update (new objects appended after Skia's own, with a
/// second cross-reference section, so nothing Skia wrote is moved):
/// <list type="bullet">
/// <item>an outline (bookmarks panel) whose entries point at Skia's named destinations;</item>
/// <item>correct text extraction for CJK glyphs that the font shares between a radical and an ideograph: Skia maps each
/// glyph back to the lowest code point that uses it, so Noto Sans CJK's 车 would be copied as the radical ⻋ (U+2ECB).
/// Such entries of the ToUnicode maps are rewritten to the ideograph.</item>
/// </list>
/// </summary>
public static partial class PdfFinishing
{
    public static byte[] Finish(byte[] pdf, IReadOnlyDictionary<int, int> unicodeFixes, IReadOnlyList<(Bookmark Bookmark, int Page)> bookmarks)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var xrefAt = int.Parse(StartXref().Matches(text)[^1].Groups[1].Value, CultureInfo.InvariantCulture);
        var trailer = TrailerDict().Match(text, xrefAt);
        if (!trailer.Success) return pdf; // not the classic layout Skia writes: leave the file as it is
        var size = int.Parse(Regex.Match(trailer.Value, @"/Size (\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        var root = int.Parse(Regex.Match(trailer.Value, @"/Root (\d+) 0 R").Groups[1].Value, CultureInfo.InvariantCulture);
        var info = Regex.Match(trailer.Value, @"/Info (\d+) 0 R");
        var offsets = ReadXref(text, xrefAt);

        var updates = new SortedDictionary<int, string>();
        if (unicodeFixes.Count > 0)
            foreach (var number in ToUnicodeRef().Matches(text).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct())
                if (FixToUnicode(pdf, text, offsets[number], unicodeFixes) is { } cmap)
                    updates[number] = $"<</Length {cmap.Length}>>\nstream\n{cmap}\nendstream";

        if (bookmarks.Count > 0)
        {
            var catalog = ObjectBody(text, offsets[root]);
            var outlines = size++;
            var items = bookmarks.Select(_ => size++).ToArray();
            updates[root] = ReplaceFirst(catalog, "<<", $"<</Outlines {outlines} 0 R /PageMode /UseOutlines ");
            updates[outlines] = $"<</Type /Outlines /First {items[0]} 0 R /Last {items[^1]} 0 R /Count {items.Length}>>";
            for (var i = 0; i < items.Length; i++)
            {
                var b = bookmarks[i].Bookmark;
                var links = (i > 0 ? $" /Prev {items[i - 1]} 0 R" : "") + (i < items.Length - 1 ? $" /Next {items[i + 1]} 0 R" : "");
                updates[items[i]] = $"<</Title {PdfString(b.Title)} /Parent {outlines} 0 R{links} /Dest /{b.Destination}>>";
            }
        }
        if (updates.Count == 0) return pdf;

        // every character below is one Latin-1 byte, so string positions are byte positions
        var tail = new StringBuilder(pdf[^1] == '\n' ? "" : "\n");
        var positions = new SortedDictionary<int, long>();
        foreach (var (number, body) in updates)
        {
            positions[number] = pdf.Length + tail.Length;
            tail.Append(CultureInfo.InvariantCulture, $"{number} 0 obj\n{body}\nendobj\n");
        }
        var newXref = pdf.Length + tail.Length;
        tail.Append("xref\n");
        foreach (var (number, position) in positions)
            tail.Append(CultureInfo.InvariantCulture, $"{number} 1\n{position:D10} 00000 n \n");
        tail.Append(CultureInfo.InvariantCulture, $"trailer\n<</Size {size} /Root {root} 0 R{(info.Success ? " " + info.Value : "")} /Prev {xrefAt}>>\nstartxref\n{newXref}\n%%EOF\n");

        var result = new byte[pdf.Length + tail.Length];
        pdf.CopyTo(result, 0);
        Encoding.Latin1.GetBytes(tail.ToString(), 0, tail.Length, result, pdf.Length);
        return result;
    }

    /// <summary>Code points a font draws with the same glyph as an ideograph (radicals, compatibility ideographs), mapped to that ideograph.</summary>
    public static Dictionary<int, int> SharedGlyphFixes(SkiaSharp.SKTypeface face)
    {
        using var font = new SkiaSharp.SKFont(face);
        var byGlyph = new Dictionary<ushort, int>();
        for (var cp = 0x4E00; cp <= 0x9FFF; cp++)
        {
            var glyph = font.GetGlyph(cp);
            if (glyph != 0) byGlyph.TryAdd(glyph, cp);
        }
        var fixes = new Dictionary<int, int>();
        foreach (var cp in Enumerable.Range(0x2E80, 0x2FE0 - 0x2E80).Concat(Enumerable.Range(0x3400, 0x4DC0 - 0x3400)).Concat(Enumerable.Range(0xF900, 0x200)))
        {
            var glyph = font.GetGlyph(cp);
            if (glyph != 0 && byGlyph.TryGetValue(glyph, out var ideograph) && ideograph != cp && cp < ideograph) fixes[cp] = ideograph;
        }
        return fixes;
    }

    private static string? FixToUnicode(byte[] pdf, string text, long offset, IReadOnlyDictionary<int, int> fixes)
    {
        var header = StreamHeader().Match(text, (int)offset);
        if (!header.Success) return null;
        var length = int.Parse(header.Groups[2].Value, CultureInfo.InvariantCulture);
        var start = header.Index + header.Length;
        string cmap;
        if (header.Groups[1].Value.Contains("/FlateDecode"))
        {
            using var inflate = new ZLibStream(new MemoryStream(pdf, start, length), CompressionMode.Decompress);
            using var reader = new StreamReader(inflate, Encoding.Latin1);
            cmap = reader.ReadToEnd();
        }
        else cmap = text.Substring(start, length);

        var mappings = new List<(string Code, string Target)>();
        var changed = false;
        foreach (Match block in BfBlock().Matches(cmap))
        {
            var isChar = block.Groups[1].Value == "bfchar";
            var pattern = isChar ? @"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>" : @"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>";
            foreach (Match entry in Regex.Matches(block.Groups[2].Value, pattern))
            {
                if (isChar)
                {
                    Add(entry.Groups[1].Value, entry.Groups[2].Value);
                    continue;
                }
                var lo = Convert.ToInt32(entry.Groups[1].Value, 16);
                var hi = Convert.ToInt32(entry.Groups[2].Value, 16);
                var dst = entry.Groups[3].Value;
                var width = entry.Groups[1].Value.Length;
                for (var code = lo; code <= hi; code++)
                {
                    var last = Convert.ToInt32(dst[^4..], 16) + code - lo;
                    Add(code.ToString("X" + width, CultureInfo.InvariantCulture), dst[..^4] + last.ToString("X4", CultureInfo.InvariantCulture));
                }
            }
        }
        if (!changed) return null;

        var body = new StringBuilder();
        foreach (var chunk in mappings.Chunk(100))
        {
            body.Append(CultureInfo.InvariantCulture, $"{chunk.Length} beginbfchar\n");
            foreach (var (code, target) in chunk) body.Append(CultureInfo.InvariantCulture, $"<{code}> <{target}>\n");
            body.Append("endbfchar\n");
        }
        var blocks = BfBlock().Matches(cmap);
        return cmap[..blocks[0].Index] + body + cmap[(blocks[^1].Index + blocks[^1].Length)..];

        void Add(string code, string target)
        {
            if (target.Length == 4 && fixes.TryGetValue(Convert.ToInt32(target, 16), out var ideograph))
            {
                target = ideograph.ToString("X4", CultureInfo.InvariantCulture);
                changed = true;
            }
            mappings.Add((code, target));
        }
    }

    private static Dictionary<int, long> ReadXref(string text, int at)
    {
        var offsets = new Dictionary<int, long>();
        var position = text.IndexOf('\n', at) + 1;
        while (true)
        {
            var section = XrefSection().Match(text, position);
            if (!section.Success || section.Index != position) break;
            var first = int.Parse(section.Groups[1].Value, CultureInfo.InvariantCulture);
            var count = int.Parse(section.Groups[2].Value, CultureInfo.InvariantCulture);
            position = section.Index + section.Length;
            for (var i = 0; i < count; i++)
            {
                var entry = text.Substring(position, 20);
                if (entry[17] == 'n') offsets[first + i] = long.Parse(entry[..10], CultureInfo.InvariantCulture);
                position += 20;
            }
        }
        return offsets;
    }

    private static string ObjectBody(string text, long offset)
    {
        var start = text.IndexOf("obj", (int)offset, StringComparison.Ordinal) + 3;
        var end = text.IndexOf("endobj", start, StringComparison.Ordinal);
        return text[start..end].Trim();
    }

    private static string ReplaceFirst(string text, string what, string with)
    {
        var i = text.IndexOf(what, StringComparison.Ordinal);
        return text[..i] + with + text[(i + what.Length)..];
    }

    /// <summary>A PDF text string in UTF-16BE with a byte order mark, written in hex.</summary>
    private static string PdfString(string value) => "<FEFF" + Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes(value)) + ">";

    [GeneratedRegex(@"startxref\s+(\d+)")] private static partial Regex StartXref();
    [GeneratedRegex(@"trailer\s*<<.*?>>\s*startxref", RegexOptions.Singleline)] private static partial Regex TrailerDict();
    [GeneratedRegex(@"/ToUnicode (\d+) 0 R")] private static partial Regex ToUnicodeRef();
    [GeneratedRegex(@"\G\d+ 0 obj\s*<<([^>]*?/Length (\d+)[^>]*?)>>\s*stream\r?\n")] private static partial Regex StreamHeader();
    [GeneratedRegex(@"\d+ begin(bfchar|bfrange)\s*(.*?)end(?:bfchar|bfrange)\s*", RegexOptions.Singleline)] private static partial Regex BfBlock();
    [GeneratedRegex(@"(\d+) (\d+)\r?\n")] private static partial Regex XrefSection();
}
