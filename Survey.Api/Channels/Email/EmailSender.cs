using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Text;

namespace Survey.Api.Channels;

/// <summary>
/// Invitation emails over SMTP with MailKit, or into the outbox folder as .eml files when no SMTP host is configured.
/// Connection, TLS and authentication failures and 4xx replies are transient; a 5xx refusal of the recipient or of the message
/// is permanent; a connection lost once the message data started going out is uncertain (the server may have queued it).
/// Connections are kept open between messages (a small pool of connected clients, each sending one message at a time), so a
/// busy dispatcher pays for the SMTP greeting, EHLO and TLS once per connection rather than once per message.
/// </summary>
public sealed class EmailSender(IOptions<EmailOptions> options, Outbox outbox, TimeProvider time, ILogger<EmailSender> logger) : IChannelSender, IDisposable
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
            result = await Deliver(Compose(message, to, settings, time.GetUtcNow()), settings, ct);

        logger.LogDebug("Email for invitation {InvitationId}: {Outcome} {Error}", message.InvitationId, result.Outcome, result.Error);
        return result;
    }

    /// <summary>
    /// The MIME message: text and HTML bodies as multipart/alternative, a Message-ID made from the invitation id (a resend carries
    /// the same one), and List-Unsubscribe with List-Unsubscribe-Post for one-click unsubscribe (RFC 8058).
    /// </summary>
    public static MimeMessage Compose(OutgoingMessage message, EmailOptions settings, DateTimeOffset now) =>
        Compose(message, MailboxAddress.Parse(message.To), settings, now);

    private static MimeMessage Compose(OutgoingMessage message, MailboxAddress to, EmailOptions settings, DateTimeOffset now)
    {
        var from = MailboxAddress.Parse(settings.FromAddress);
        if (!string.IsNullOrWhiteSpace(settings.FromName)) from.Name = settings.FromName;
        var mime = new MimeMessage { Subject = message.Subject, Date = now };
        mime.From.Add(from);
        mime.To.Add(to);
        mime.MessageId = $"{message.InvitationId:D}@{(settings.MessageIdDomain is { Length: > 0 } domain ? domain : from.Domain)}";

        var unsubscribe = new List<string>();
        if (message.UnsubscribeUrl is { Length: > 0 } url) unsubscribe.Add($"<{url}>");
        if (settings.UnsubscribeMailto is { Length: > 0 } mailbox) unsubscribe.Add($"<mailto:{mailbox}?subject=unsubscribe%20{message.InvitationId:D}>");
        if (unsubscribe.Count > 0) mime.Headers.Add("List-Unsubscribe", string.Join(", ", unsubscribe));
        if (message.UnsubscribeUrl?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true)
            mime.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");

        // what BodyBuilder makes of a text and an HTML body, with a root that marks when its data starts going out
        mime.Body = message.Html is null
            ? Encoded(new TrackedText { Text = message.Text }, message.Text)
            : new TrackedAlternative { Encoded(new ScannedText(TextFormat.Plain) { Text = message.Text }, message.Text), Encoded(new ScannedText(TextFormat.Html) { Text = message.Html }, message.Html) };
        mime.Body.Headers.Add(HeaderId.ContentLanguage, message.Locale);
        return mime;
    }

    /// <summary>
    /// The transfer encoding MimeKit's scan of the part would choose when MailKit prepares each send, decided here from the
    /// string: 7bit for ASCII, 8bit for other text, when every line fits SMTP's 998 octets and there is no NUL, no lone CR and no
    /// line starting "From " (MimeKit quotes those); otherwise left to MimeKit. The part then skips that scan
    /// (<see cref="ScannedText.Prepare"/>) unless the server cannot take 8bit, where MimeKit re-encodes it as before.
    /// </summary>
    private static ScannedText Encoded(ScannedText part, string text)
    {
        var rest = text.AsSpan();
        if (rest.ContainsAny('\0', '\r')) return part;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf('\n');
            var line = end < 0 ? rest : rest[..end];
            // a char is at most 3 UTF-8 octets (a surrogate pair, 4 for 2 chars)
            if (line.Length * 3 > 998 && System.Text.Encoding.UTF8.GetByteCount(line) > 998) return part;
            if (line.StartsWith("From ", StringComparison.Ordinal)) return part;
            rest = end < 0 ? [] : rest[(end + 1)..];
        }
        part.ContentTransferEncoding = System.Text.Ascii.IsValid(text) ? ContentEncoding.SevenBit : ContentEncoding.EightBit;
        part.Scanned = true;
        return part;
    }

    /// <summary><c>{invitationId}@{domain}</c>, without the angle brackets MimeKit adds.</summary>
    public static string MessageId(Guid invitationId, EmailOptions settings)
    {
        var domain = settings.MessageIdDomain is { Length: > 0 } configured ? configured : MailboxAddress.Parse(settings.FromAddress).Domain;
        return $"{invitationId:D}@{domain}";
    }

    /// <summary>
    /// Sends over a connected client from the pool (or a new connection). A failure before the message data on a connection that
    /// had been idle in the pool is retried once on a fresh connection: the server may have closed it, and it has nothing yet.
    /// </summary>
    private async Task<SendResult> Deliver(MimeMessage mime, EmailOptions settings, CancellationToken ct)
    {
        var (client, reused) = TakeIdle();
        while (true)
        {
            if (client is null)
            {
                (client, var refused) = await Connect(settings, ct);
                if (client is null) return refused!;
            }
            var result = await SendOn(client, mime, ct);
            if (result is null) { Return(client); return SendResult.Accepted($"<{mime.MessageId}>"); }
            client.Dispose();
            if (!reused || result.Value.DataStarted || result.Value.Refusal) return result.Value.Result;
            (client, reused) = (null, false); // an idle connection failed before the data: once more, on a fresh one
        }
    }

    private static async Task<(SmtpClient? Client, SendResult? Refused)> Connect(EmailOptions settings, CancellationToken ct)
    {
        var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(await OpenSocket(settings, ct), settings.Host!, settings.Port, settings.TlsMode, ct);
            if (!string.IsNullOrEmpty(settings.UserName))
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", ct);
            return (client, null);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            client.Dispose();
            return (null, SendResult.Transient(e switch
            {
                AuthenticationException => "The SMTP server refused the credentials.",
                SslHandshakeException => "The TLS handshake with the SMTP server failed.",
                SmtpCommandException command => $"The SMTP server answered {(int)command.StatusCode} before sending: {PersonalData.Redact(command.Message)}",
                _ => $"Could not reach the SMTP server ({e.GetType().Name}).",
            }));
        }
    }

    /// <summary>
    /// The TCP connection, opened here with Nagle's algorithm off: MailKit writes a message in several small pieces, and with
    /// Nagle on each message then waits for the server's delayed ACK (measured into Postfix's smtp-sink on this machine: 44.6 ms
    /// per message with MailKit's own socket, 2.9 ms with this one). MailKit owns the socket from here on (TLS included).
    /// </summary>
    private static async Task<Socket> OpenSocket(EmailOptions settings, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(settings.Timeout);
            await socket.ConnectAsync(settings.Host!, settings.Port, timeout.Token);
            return socket;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"No TCP connection to the SMTP server within {settings.Timeout.TotalSeconds:0} s.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Null when the server took the message; otherwise what went wrong, whether the data had started and whether the server refused.</summary>
    private static async Task<(SendResult Result, bool DataStarted, bool Refusal)?> SendOn(SmtpClient client, MimeMessage mime, CancellationToken ct)
    {
        var data = new DataMark();
        // a body that cannot tell (none of ours) counts as started from the first byte: a lost connection is then uncertain
        if (mime.Body is ITracked tracked) tracked.Mark = data;
        else data.Started = true;
        try
        {
            // no ITransferProgress: with one, MailKit serializes every message once more only to measure it for the progress reports
            await client.SendAsync(mime, ct);
            return null;
        }
        catch (SmtpCommandException e)
        {
            var code = (int)e.StatusCode;
            var reply = $"The SMTP server answered {code}: {PersonalData.Redact(e.Message)}";
            // a permanent refusal of the sender is our configuration, not this recipient: retry later like any transient problem
            return (code is >= 500 and < 600 && e.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted
                ? SendResult.Permanent(reply)
                : SendResult.Transient(reply), data.Started, true);
        }
        catch (Exception e) when (data.Started)
        {
            return (SendResult.Uncertain($"The connection to the SMTP server was lost after the message data started ({e.GetType().Name})."), true, false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return (SendResult.Transient($"The connection to the SMTP server was lost before the message data ({e.GetType().Name})."), false, false);
        }
    }

    // ---- the pool of connected clients: one message at a time per client, kept connected between messages ----

    /// <summary>A connection idle longer than this is closed rather than reused (servers drop idle clients after a few minutes).</summary>
    public static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(20);
    private const int MaxIdle = 32;
    private readonly ConcurrentStack<(SmtpClient Client, long Since)> _idle = new();

    private (SmtpClient? Client, bool Reused) TakeIdle()
    {
        while (_idle.TryPop(out var pooled))
        {
            if (pooled.Client.IsConnected && Stopwatch.GetElapsedTime(pooled.Since) < IdleLimit) return (pooled.Client, true);
            Close(pooled.Client);
        }
        return (null, false);
    }

    private void Return(SmtpClient client)
    {
        if (client.IsConnected && _idle.Count < MaxIdle) _idle.Push((client, Stopwatch.GetTimestamp()));
        else Close(client);
    }

    private static void Close(SmtpClient client) =>
        _ = Task.Run(async () =>
        {
            try { if (client.IsConnected) await client.DisconnectAsync(true, CancellationToken.None); }
            catch (Exception) { /* the server has every message already; a failed QUIT changes nothing */ }
            finally { client.Dispose(); }
        });

    public void Dispose()
    {
        while (_idle.TryPop(out var pooled)) pooled.Client.Dispose();
    }

    /// <summary>
    /// The root of a message's body, which notes when MailKit starts writing it to the server (after DATA's 354, or with BDAT):
    /// where uncertainty begins (the headers before it do not matter: a server takes a message only once its data has ended).
    /// MailKit also writes a message into a <see cref="MimeKit.IO.MeasuringStream"/> when the server announces SIZE or
    /// CHUNKING: that is only counting, nothing goes out. (MimeMessage's own WriteTo methods cannot be overridden.)
    /// </summary>
    private interface ITracked
    {
        DataMark? Mark { get; set; }
    }

    private static void Note(DataMark? mark, Stream stream)
    {
        if (mark is not null && stream is not MimeKit.IO.MeasuringStream) mark.Started = true;
    }

    private sealed class TrackedAlternative : MultipartAlternative, ITracked
    {
        public DataMark? Mark { get; set; }

        public override Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
        {
            Note(Mark, stream);
            return base.WriteToAsync(options, stream, contentOnly, cancellationToken);
        }

        public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
        {
            Note(Mark, stream);
            base.WriteTo(options, stream, contentOnly, cancellationToken);
        }
    }

    private sealed class TrackedText : ScannedText, ITracked
    {
        public TrackedText() : base(TextFormat.Plain) { }

        public DataMark? Mark { get; set; }

        public override Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
        {
            Note(Mark, stream);
            return base.WriteToAsync(options, stream, contentOnly, cancellationToken);
        }

        public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
        {
            Note(Mark, stream);
            base.WriteTo(options, stream, contentOnly, cancellationToken);
        }
    }

    /// <summary>
    /// A text part whose transfer encoding <see cref="Encoded"/> already chose from the string, as MimeKit's scan in
    /// <see cref="MimePart.Prepare"/> would (a pass over the content through MimeKit's filters, before every send: ~3% of the
    /// API's CPU in a dispatch, bench/dispatch/RESULTS.md): that scan is skipped where its answer is known.
    /// </summary>
    internal class ScannedText(TextFormat format) : TextPart(format)
    {
        /// <summary>Set by <see cref="Encoded"/>: 7bit or 8bit content that MimeKit's scan would leave as it is.</summary>
        public bool Scanned { get; set; }

        public override void Prepare(EncodingConstraint constraint, int maxLineLength = 78)
        {
            // 7bit goes anywhere; 8bit where the server takes 8bit (8BITMIME, BINARYMIME); lines were checked against 998 only
            if (Scanned && maxLineLength >= 998 && (ContentTransferEncoding == ContentEncoding.SevenBit
                || (ContentTransferEncoding == ContentEncoding.EightBit && constraint != EncodingConstraint.SevenBit)))
                return;
            base.Prepare(constraint, maxLineLength);
        }
    }

    /// <summary>Whether the message data of one send began to go out.</summary>
    private sealed class DataMark
    {
        public bool Started { get; set; }
    }
}
