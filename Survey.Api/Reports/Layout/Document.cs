namespace Survey.Api.Reports.Layout;

/// <summary>A run of pages with one header; it starts on a new page and may carry a bookmark (outline entry).</summary>
public sealed record Section(IReadOnlyList<Element> Content, string HeaderLeft, string HeaderRight, Bookmark? Bookmark = null);

/// <summary>An outline entry pointing at a named destination; <paramref name="Level"/> 0 is the top.</summary>
public sealed record Bookmark(string Destination, string Title, int Level = 0);

/// <summary>
/// A whole document, described rather than positioned. <paramref name="PageFormat"/> is a composite format of page number
/// and page count, e.g. "Page {0} / {1}". <paramref name="Date"/> becomes the creation and modification date.
/// </summary>
public sealed record Document(string Title, string Author, DateTime Date, IReadOnlyList<Section> Sections, string FooterLeft,
    string PageFormat = "Page {0} / {1}", string Language = "en");
