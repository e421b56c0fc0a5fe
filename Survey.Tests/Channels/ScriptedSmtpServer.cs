using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Survey.Tests.Channels;

/// <summary>
/// An SMTP server that misbehaves on purpose, for the failures a real one will not produce on demand: a scripted reply to RCPT TO,
/// or a connection dropped after RCPT TO, after the message data, or after each accepted message (a server closing idle clients).
/// It speaks plain RFC 5321 without extensions.
/// </summary>
public sealed class ScriptedSmtpServer : IAsyncDisposable
{
    public enum Drop { Never, AfterRecipient, AfterData, AfterEachMessage }

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly string? _recipientReply;
    private readonly Drop _drop;
    private int _messagesReceived, _connections;

    public ScriptedSmtpServer(string? recipientReply = null, Drop drop = Drop.Never)
    {
        _recipientReply = recipientReply;
        _drop = drop;
        _listener.Start();
        _loop = Accept();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Messages whose data arrived complete (up to the final dot).</summary>
    public int MessagesReceived => Volatile.Read(ref _messagesReceived);

    /// <summary>Connections accepted.</summary>
    public int Connections => Volatile.Read(ref _connections);

    private async Task Accept()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            Interlocked.Increment(ref _connections);
            _ = Serve(client);
        }
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.ASCII);
        var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        try
        {
            await writer.WriteLineAsync("220 scripted.test ESMTP");
            while (await reader.ReadLineAsync() is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO" or "HELO":
                        await writer.WriteLineAsync("250 scripted.test");
                        break;
                    case "MAIL" or "RSET" or "NOOP":
                        await writer.WriteLineAsync("250 2.1.0 Ok");
                        break;
                    case "RCPT":
                        if (_drop == Drop.AfterRecipient) return;
                        await writer.WriteLineAsync(_recipientReply ?? "250 2.1.5 Ok");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        while (await reader.ReadLineAsync() is { } data && data != ".") { }
                        Interlocked.Increment(ref _messagesReceived);
                        if (_drop == Drop.AfterData) return;
                        await writer.WriteLineAsync("250 2.0.0 Ok: queued as 4F2A1B");
                        if (_drop == Drop.AfterEachMessage) return;
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 2.0.0 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 5.5.2 Command not recognized");
                        break;
                }
            }
        }
        catch (IOException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
    }
}
