using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Survey.Api.Channels;

/// <summary>
/// Invitation emails over SMTP with MailKit, or into the outbox folder as .eml files when no SMTP host is configured.
/// Connection, TLS and authentication failures and 4xx replies are transient; a 5xx refusal of the recipient or of the message
/// is permanent; a connection lost once the message data started going out is uncertain (the server may have queued it).
/// </summary>
public sealed class EmailSender(IOptions<EmailOptions> options, Outbox outbox, TimeProvider time, ILogger<EmailSender> logger) : IChannelSender
{
    public ChannelKind Channel => ChannelKind.Email;

    public async Task<SendResult> Send(OutgoingMessage message, CancellationToken ct)
    {
        var settings = options.Value;
        SendResult result;
        if (!MailboxAddress.TryParse(message.To, out var to) || !to.Address.Contains('@'))
            result = SendResult.Permanent("The email address is not valid.");
        else if (string.IsNullOrWhiteSpace(settings.Host))
        {
            var mime = Compose(message, settings, time.GetUtcNow());
            result = SendResult.Accepted(await outbox.Write(ChannelKind.Email, message.InvitationId, "eml", (stream, c) => mime.WriteToAsync(stream, c), ct));
        }
        else
            result = await Deliver(Compose(message, settings, time.GetUtcNow()), settings, ct);

        logger.LogInformation("Email for invitation {InvitationId}: {Outcome} {Error}", message.InvitationId, result.Outcome, result.Error);
        return result;
    }

    /// <summary>
    /// The MIME message: text and HTML bodies as multipart/alternative, a Message-ID made from the invitation id (a resend carries
    /// the same one), and List-Unsubscribe with List-Unsubscribe-Post for one-click unsubscribe (RFC 8058).
    /// </summary>
    public static MimeMessage Compose(OutgoingMessage message, EmailOptions settings, DateTimeOffset now)
    {
        var from = MailboxAddress.Parse(settings.FromAddress);
        if (!string.IsNullOrWhiteSpace(settings.FromName)) from.Name = settings.FromName;
        var mime = new MimeMessage { Subject = message.Subject, Date = now };
        mime.From.Add(from);
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.MessageId = MessageId(message.InvitationId, settings);

        var unsubscribe = new List<string>();
        if (message.UnsubscribeUrl is { Length: > 0 } url) unsubscribe.Add($"<{url}>");
        if (settings.UnsubscribeMailto is { Length: > 0 } mailbox) unsubscribe.Add($"<mailto:{mailbox}?subject=unsubscribe%20{message.InvitationId:D}>");
        if (unsubscribe.Count > 0) mime.Headers.Add("List-Unsubscribe", string.Join(", ", unsubscribe));
        if (message.UnsubscribeUrl?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true)
            mime.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");

        mime.Body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html }.ToMessageBody();
        mime.Body.Headers.Add(HeaderId.ContentLanguage, message.Locale);
        return mime;
    }

    /// <summary><c>{invitationId}@{domain}</c>, without the angle brackets MimeKit adds.</summary>
    public static string MessageId(Guid invitationId, EmailOptions settings)
    {
        var domain = settings.MessageIdDomain is { Length: > 0 } configured ? configured : MailboxAddress.Parse(settings.FromAddress).Domain;
        return $"{invitationId:D}@{domain}";
    }

    private static async Task<SendResult> Deliver(MimeMessage mime, EmailOptions settings, CancellationToken ct)
    {
        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(settings.Host!, settings.Port, settings.TlsMode, ct);
            if (!string.IsNullOrEmpty(settings.UserName))
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return SendResult.Transient(e switch
            {
                AuthenticationException => "The SMTP server refused the credentials.",
                SslHandshakeException => "The TLS handshake with the SMTP server failed.",
                SmtpCommandException command => $"The SMTP server answered {(int)command.StatusCode} before sending: {PersonalData.Redact(command.Message)}",
                _ => $"Could not reach the SMTP server ({e.GetType().Name}).",
            });
        }

        var data = new DataProgress();
        try
        {
            await client.SendAsync(mime, ct, data);
        }
        catch (SmtpCommandException e)
        {
            var code = (int)e.StatusCode;
            var reply = $"The SMTP server answered {code}: {PersonalData.Redact(e.Message)}";
            // a permanent refusal of the sender is our configuration, not this recipient: retry later like any transient problem
            return code is >= 500 and < 600 && e.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted
                ? SendResult.Permanent(reply)
                : SendResult.Transient(reply);
        }
        catch (Exception e) when (data.Started)
        {
            return SendResult.Uncertain($"The connection to the SMTP server was lost after the message data started ({e.GetType().Name}).");
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return SendResult.Transient($"The connection to the SMTP server was lost before the message data ({e.GetType().Name}).");
        }

        try { await client.DisconnectAsync(true, CancellationToken.None); }
        catch (Exception) { /* the server has the message; a failed QUIT changes nothing */ }
        return SendResult.Accepted($"<{mime.MessageId}>");
    }

    /// <summary>MailKit reports progress only while it writes the message data (after DATA or BDAT), which marks where uncertainty begins.</summary>
    private sealed class DataProgress : ITransferProgress
    {
        public bool Started { get; private set; }
        public void Report(long bytesTransferred, long totalSize) => Started = true;
        public void Report(long bytesTransferred) => Started = true;
    }
}
