using System.Text;

namespace Survey.Api.Privacy.Exporting;

/// <summary>
/// The one CSV writer of exports: RFC 4180 quoting, and cells that a spreadsheet would run as a formula (starting with
/// = + - @, a tab or a carriage return) prefixed with a single quote, so they show as text.
/// </summary>
public sealed class CsvCells(TextWriter writer)
{
    public static string Neutralise(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        return value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
    }

    public static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 || value.StartsWith(' ') || value.EndsWith(' ') ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    public Task WriteRow(IEnumerable<string?> cells)
    {
        var line = new StringBuilder();
        foreach (var cell in cells)
        {
            if (line.Length > 0) line.Append(',');
            line.Append(Quote(Neutralise(cell)));
        }
        line.Append("\r\n");
        return writer.WriteAsync(line.ToString());
    }
}
