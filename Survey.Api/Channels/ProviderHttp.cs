using System.Net;

namespace Survey.Api.Channels;

/// <summary>
/// A request body that can go out once. It tells whether it started going out (from then on a lost connection leaves the outcome
/// uncertain), and it refuses a second transmission. SocketsHttpHandler re-sends a request on its own when a pooled connection
/// turns out closed before the content started; this makes sure no layer ever sends a body twice, which for a send API would be
/// a second message.
/// </summary>
internal sealed class SingleSendContent : HttpContent
{
    private readonly HttpContent _inner;
    private int _transmissions;

    public SingleSendContent(HttpContent inner)
    {
        _inner = inner;
        foreach (var header in inner.Headers) Headers.TryAddWithoutValidation(header.Key, header.Value);
    }

    public bool Started => Volatile.Read(ref _transmissions) > 0;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _transmissions) > 1)
            throw new HttpRequestException("The request body was already sent once; it is not sent again.");
        return _inner.CopyToAsync(stream, cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? -1;
        return length >= 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}

internal static class ProviderHttp
{
    /// <summary>
    /// Sends a request whose body must not go out twice. A failure before the body started is transient (the provider cannot have
    /// the message); after it, uncertain. The caller's own cancellation propagates unless the body already went out.
    /// </summary>
    public static async Task<(HttpResponseMessage? Response, string Body, SendResult? Failure)> Send(
        HttpClient client, HttpRequestMessage request, SingleSendContent content, string provider, CancellationToken ct)
    {
        HttpResponseMessage? response = null;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            return (response, body, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException && (content.Started || !ct.IsCancellationRequested))
        {
            response?.Dispose();
            var what = e is TaskCanceledException && !ct.IsCancellationRequested ? "timed out" : $"failed ({(e as HttpRequestException)?.HttpRequestError.ToString() ?? e.GetType().Name})";
            return (null, "", content.Started
                ? SendResult.Uncertain($"The request to {provider} {what} after its body was sent; {provider} may have the message.")
                : SendResult.Transient($"The request to {provider} {what} before its body was sent."));
        }
    }

    public static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;
}
