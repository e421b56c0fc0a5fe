using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;
using Survey.Api.Channels;

namespace Survey.Api.Reports.Delivering;

/// <summary>
/// Sends a report e-mail with the e-mail channel's SMTP settings (<c>Channels:Email</c>), or writes it to the outbox folder
/// (<c>email/{id}.eml</c>) when no SMTP host is configured. Same outcome rules as invitations: failures before the message data
/// are worth another try, a 5xx refusal of recipient or message is final, a connection lost during the data is uncertain.
/// </summary>
public sealed class ReportMailer(IOptions<EmailOptions> options, Outbox outbox)
{
    public EmailOptions Settings => options.Value;

    public string MessageId(Guid id) => EmailSender.MessageId(id, options.Value);

    public async Task<SendResult> Send(MimeMessage message, Guid id, CancellationToken ct)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.Host))
            return SendResult.Accepted(await outbox.Write(ChannelKind.Email, id, "eml", (stream, c) => message.WriteToAsync(stream, c), ct));

        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(settings.Host, settings.Port, settings.TlsMode, ct);
            if (!string.IsNullOrEmpty(settings.UserName)) await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return SendResult.Transient($"Could not reach or sign in to the SMTP server ({e.GetType().Name}).");
        }
        var data = new DataProgress();
        try
        {
            await client.SendAsync(message, ct, data);
        }
        catch (SmtpCommandException e)
        {
            var code = (int)e.StatusCode;
            return code is >= 500 and < 600 && e.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted
                ? SendResult.Permanent($"The SMTP server refused the message ({code}).")
                : SendResult.Transient($"The SMTP server answered {code}.");
        }
        catch (Exception e) when (data.Started)
        {
            return SendResult.Uncertain($"The connection was lost after the message data started ({e.GetType().Name}).");
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return SendResult.Transient($"The connection was lost before the message data ({e.GetType().Name}).");
        }
        try { await client.DisconnectAsync(true, CancellationToken.None); }
        catch (Exception) { /* the server has the message */ }
        return SendResult.Accepted($"<{message.MessageId}>");
    }

    private sealed class DataProgress : ITransferProgress
    {
        public bool Started { get; private set; }
        public void Report(long bytesTransferred, long totalSize) => Started = true;
        public void Report(long bytesTransferred) => Started = true;
    }
}
