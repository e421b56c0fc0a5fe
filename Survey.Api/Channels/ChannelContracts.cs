namespace Survey.Api.Channels;

public enum ChannelKind { MiniProgram, Sms, Email }

/// <summary>One invitation message, ready to send: texts already rendered in the respondent's locale.</summary>
public sealed record OutgoingMessage(
    Guid InvitationId, string TenantId, ChannelKind Channel, string To, string Locale,
    string Subject,            // email subject; ignored by other channels
    string Text,               // SMS body / email plain-text body
    string? Html,              // email HTML body
    string SurveyUrl,          // hosted page link https://.../s/{token}
    string? UnsubscribeUrl,    // email List-Unsubscribe + footer link
    string? MiniProgramPage,   // e.g. "pages/survey/index?token=..."
    string? TemplateId,        // WeChat subscribe-message template id
    IReadOnlyDictionary<string, string>? TemplateData); // WeChat template fields, e.g. { "thing1": "...", "time2": "..." }

/// <summary>
/// What became of a send. <see cref="Uncertain"/>: the provider may or may not have the message (the connection dropped after
/// the SMTP DATA or the HTTP request body went out); the caller must not resend it blindly.
/// </summary>
public enum SendOutcome { Accepted, TransientFailure, PermanentFailure, Uncertain }

/// <summary>The outcome, the provider's id for the message when it took it, and a reason free of personal data when it did not.</summary>
public sealed record SendResult(SendOutcome Outcome, string? ProviderMessageId, string? Error)
{
    public static SendResult Accepted(string providerMessageId) => new(SendOutcome.Accepted, providerMessageId, null);
    public static SendResult Transient(string error) => new(SendOutcome.TransientFailure, null, error);
    public static SendResult Permanent(string error) => new(SendOutcome.PermanentFailure, null, error);
    public static SendResult Uncertain(string error) => new(SendOutcome.Uncertain, null, error);
}

/// <summary>Sends one message through one channel. Never retries by itself: retries and fallbacks are the caller's decision.</summary>
public interface IChannelSender
{
    ChannelKind Channel { get; }
    Task<SendResult> Send(OutgoingMessage message, CancellationToken ct);
}

public enum DeliveryState { Queued, Sent, Delivered, Failed, Undelivered }

/// <summary>A provider told us what happened to a message after it took it (Twilio status callbacks).</summary>
public sealed record DeliveryStatusUpdate(ChannelKind Channel, string ProviderMessageId, DeliveryState State, string? ErrorCode, string? Detail, DateTimeOffset At);

/// <summary>Where verified delivery updates go; the default only logs them.</summary>
public interface IDeliveryStatusSink
{
    Task Record(DeliveryStatusUpdate update, CancellationToken ct);
}

internal sealed class LoggingDeliveryStatusSink(ILogger<LoggingDeliveryStatusSink> logger) : IDeliveryStatusSink
{
    public Task Record(DeliveryStatusUpdate update, CancellationToken ct)
    {
        logger.LogInformation("Delivery update {Channel} {ProviderMessageId}: {State} {ErrorCode}", update.Channel, update.ProviderMessageId, update.State, update.ErrorCode);
        return Task.CompletedTask;
    }
}
