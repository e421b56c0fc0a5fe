using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Survey.Api.Channels;

/// <summary>
/// Twilio's X-Twilio-Signature: base64(HMAC-SHA1(auth token, full URL + each POST parameter's name and value, sorted by name)).
/// Checking also tries the URL with the default port written out or left out, as Twilio's own SDKs do.
/// </summary>
public static class TwilioSignature
{
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, StringValues>> parameters)
    {
        var data = new StringBuilder(url);
        foreach (var (name, values) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
            foreach (var value in values.OrderBy(v => v, StringComparer.Ordinal))
                data.Append(name).Append(value);
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }

    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, StringValues>> parameters, string? signature)
    {
        if (string.IsNullOrEmpty(signature)) return false;
        var list = parameters.ToList();
        var given = Encoding.ASCII.GetBytes(signature);
        return UrlVariants(url).Any(variant => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(authToken, variant, list)), given));
    }

    /// <summary>The URL as given, and with its default port (443/80) added when absent or removed when present.</summary>
    private static IEnumerable<string> UrlVariants(string url)
    {
        yield return url;
        var start = url.IndexOf("://", StringComparison.Ordinal);
        if (start < 0) yield break;
        start += 3;
        var end = url.IndexOfAny(['/', '?', '#'], start);
        if (end < 0) end = url.Length;
        var authority = url[start..end];
        var defaultPort = url.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? "443" : url.StartsWith("http:", StringComparison.OrdinalIgnoreCase) ? "80" : null;
        if (defaultPort is null || authority.Contains('@') || authority.StartsWith('[')) yield break;
        var colon = authority.LastIndexOf(':');
        if (colon < 0) yield return $"{url[..end]}:{defaultPort}{url[end..]}";
        else if (authority[(colon + 1)..] == defaultPort) yield return $"{url[..(start + colon)]}{url[end..]}";
    }
}
