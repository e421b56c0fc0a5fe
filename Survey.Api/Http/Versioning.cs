using Microsoft.Net.Http.Headers;
using Survey.Domain.Common;

namespace Survey.Api.Http;

/// <summary>ETags are the stream version (<c>"7"</c>); If-Match carries the version a client last read.</summary>
public static class Versioning
{
    public static string ETag(long version) => $"\"{version}\"";

    public static void SetETag(this HttpResponse response, long version) => response.Headers.ETag = ETag(version);

    /// <summary>The version named by If-Match, or null when the client sent none (no concurrency check).</summary>
    public static long? ExpectedVersion(this HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header)) return null;
        if (EntityTagHeaderValue.TryParse(header.Trim(), out var tag) && !tag.IsWeak
            && long.TryParse(tag.Tag.AsSpan(1, tag.Tag.Length - 2), out var version) && version > 0)
            return version;
        throw new InvalidInputException([new("If-Match", "invalid-etag", "If-Match must be one strong ETag as returned by the API, e.g. \"3\".")]);
    }
}
