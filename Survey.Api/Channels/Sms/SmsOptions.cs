namespace Survey.Api.Channels;

/// <summary>Bound from <c>Channels:Sms</c>. Without <see cref="AccountSid"/>, messages go to the outbox folder as .json files.</summary>
public sealed class SmsOptions
{
    public const string Section = "Channels:Sms";

    /// <summary>Twilio account SID (AC...); empty means outbox mode.</summary>
    public string? AccountSid { get; set; }

    /// <summary>Twilio auth token: HTTP basic auth password and the key of X-Twilio-Signature on status callbacks.</summary>
    public string? AuthToken { get; set; }

    /// <summary>Sender number (E.164) or alphanumeric sender id; not needed with <see cref="MessagingServiceSid"/>.</summary>
    public string? From { get; set; }

    /// <summary>Messaging Service SID (MG...); used instead of <see cref="From"/> when set.</summary>
    public string? MessagingServiceSid { get; set; }

    public string BaseUrl { get; set; } = "https://api.twilio.com";

    /// <summary>
    /// Public URL of <c>/api/channels/twilio/status</c>, sent as StatusCallback. Its scheme and host also stand in for the
    /// request's own when checking signatures, for servers behind a proxy or load balancer. No callbacks when empty.
    /// </summary>
    public string? StatusCallbackUrl { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
