using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Survey.Api.Http;

namespace Survey.Api.Channels;

/// <summary>
/// <c>POST /api/channels/twilio/status</c>: Twilio's status callback for a message we sent. The X-Twilio-Signature is checked
/// against the auth token before anything is believed; MessageSid, MessageStatus and ErrorCode then go to the
/// <see cref="IDeliveryStatusSink"/>.
/// </summary>
internal static class TwilioStatusCallback
{
    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(
        HttpContext context, IOptions<SmsOptions> options, IDeliveryStatusSink sink, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var request = context.Request;
        if (!request.HasFormContentType)
            return TypedResults.Problem(Problems.Of(415, "unsupported-media-type", "Expected application/x-www-form-urlencoded."));
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.AuthToken))
            return Forbidden("SMS is not configured on this server, so no status callback can be verified.");

        var form = await request.ReadFormAsync(ct);
        if (!TwilioSignature.IsValid(settings.AuthToken, SignedUrl(request, settings.StatusCallbackUrl), form, request.Headers["X-Twilio-Signature"]))
        {
            loggers.CreateLogger(typeof(TwilioStatusCallback)).LogWarning("Refused a Twilio status callback with an invalid signature");
            return Forbidden("The X-Twilio-Signature header does not match this request.");
        }

        var sid = form["MessageSid"].ToString();
        var status = form["MessageStatus"].ToString();
        if (sid.Length > 0 && State(status) is { } state)
        {
            var errorCode = form["ErrorCode"].ToString();
            await sink.Record(new DeliveryStatusUpdate(ChannelKind.Sms, sid, state, errorCode.Length > 0 ? errorCode : null, status, time.GetUtcNow()), ct);
        }
        return TypedResults.NoContent();
    }

    /// <summary>Twilio's message statuses in ours; the ones without a counterpart (receiving, received) are not delivery news.</summary>
    private static DeliveryState? State(string status) => status switch
    {
        "accepted" or "scheduled" or "queued" or "sending" => DeliveryState.Queued,
        "sent" => DeliveryState.Sent,
        "delivered" or "read" => DeliveryState.Delivered,
        "undelivered" => DeliveryState.Undelivered,
        "failed" or "canceled" => DeliveryState.Failed,
        _ => null,
    };

    /// <summary>The URL Twilio called: this request's, with the scheme and host of the configured StatusCallbackUrl when set.</summary>
    private static string SignedUrl(HttpRequest request, string? statusCallbackUrl)
    {
        var start = statusCallbackUrl?.IndexOf("://", StringComparison.Ordinal) ?? -1;
        if (start < 0) return request.GetEncodedUrl();
        var end = statusCallbackUrl!.IndexOfAny(['/', '?', '#'], start + 3);
        var origin = end < 0 ? statusCallbackUrl : statusCallbackUrl[..end];
        return origin + request.PathBase.ToUriComponent() + request.Path.ToUriComponent() + request.QueryString.ToUriComponent();
    }

    private static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(Problems.Of(403, "invalid-signature", "The request is not signed by Twilio.", detail));
}
