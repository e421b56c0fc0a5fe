namespace Survey.Api.Channels;

public sealed record NpsLink(int Score, string Url);

/// <summary>
/// The 0-10 row of an email-embedded NPS question: one link per score to the hosted page with that score preselected. Mail
/// security scanners open every link in a message, so opening one of these must record nothing: the page shows the score and
/// only the respondent's own click on it records the answer.
/// </summary>
public static class EmailNps
{
    public static IReadOnlyList<NpsLink> Links(string surveyUrl, int min = 0, int max = 10)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(surveyUrl);
        if (max < min) throw new ArgumentOutOfRangeException(nameof(max), "max must not be below min.");
        var fragmentAt = surveyUrl.IndexOf('#');
        var (address, fragment) = fragmentAt < 0 ? (surveyUrl, "") : (surveyUrl[..fragmentAt], surveyUrl[fragmentAt..]);
        var separator = address.Contains('?') ? '&' : '?';
        return Enumerable.Range(min, max - min + 1).Select(score => new NpsLink(score, $"{address}{separator}score={score}{fragment}")).ToList();
    }
}
