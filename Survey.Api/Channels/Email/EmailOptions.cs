using MailKit.Security;

namespace Survey.Api.Channels;

/// <summary>Bound from <c>Channels:Email</c>. Without <see cref="Host"/>, emails go to the outbox folder as .eml files.</summary>
public sealed class EmailOptions
{
    public const string Section = "Channels:Email";

    /// <summary>SMTP server; empty means outbox mode.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>MailKit's <see cref="SecureSocketOptions"/>: <c>Auto</c>, <c>None</c>, <c>StartTls</c>, <c>StartTlsWhenAvailable</c>, <c>SslOnConnect</c>.</summary>
    public SecureSocketOptions TlsMode { get; set; } = SecureSocketOptions.Auto;

    /// <summary>SMTP user; no authentication when empty.</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string FromAddress { get; set; } = "survey@localhost";

    public string? FromName { get; set; }

    /// <summary>Right-hand side of Message-ID (<c>&lt;{invitationId}@{domain}&gt;</c>); the From address's domain when empty.</summary>
    public string? MessageIdDomain { get; set; }

    /// <summary>Optional mailbox added to List-Unsubscribe as <c>mailto:</c> next to the one-click URL.</summary>
    public string? UnsubscribeMailto { get; set; }

    /// <summary>Timeout of each SMTP command.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);
}
