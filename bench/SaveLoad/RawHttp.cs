using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SaveLoad;

/// <summary>
/// The leanest HTTP/1.1 client this load generator can be (<c>--raw-http</c>): one TCP socket per client, requests serialised
/// once up front (request line, Host, Content-Type, Content-Length, body; keep-alive), the response read as bytes (status
/// line, headers up to the blank line, then a Content-Length or chunked body). Only the response id is written per request.
/// Blocking calls: each client runs on a thread of its own that sleeps in recv() until the answer is there (no thread pool, no
/// epoll hand-off, no timers; a 60 s socket timeout instead), which is about what pgbench's client does.
/// It exists to show how much of a save's CPU is the load generator's own HttpClient (see bench/experiments/floor/).
/// </summary>
public sealed class RawHttp(Uri baseAddress)
{
    private const int TimeoutMs = 60_000; // as HttpClient's in SaveRun.NewClient
    private readonly System.Collections.Concurrent.ConcurrentBag<Connection> _idle = [];

    /// <summary>A request with a 36-character placeholder for the response id at <see cref="IdOffset"/>.</summary>
    public sealed record Template(byte[] Bytes, int IdOffset);

    public Template Prepare(string method, string pathBeforeId, string pathAfterId, byte[] body)
    {
        var head = Encoding.ASCII.GetBytes(
            $"{method} {pathBeforeId}{new string('0', 36)}{pathAfterId} HTTP/1.1\r\n" +
            $"Host: {baseAddress.Authority}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
        return new Template([.. head, .. body], method.Length + 1 + pathBeforeId.Length);
    }

    /// <summary>An idle connection (kept alive from an earlier run) or a new one; give it back with <see cref="Return"/>.</summary>
    public Connection Rent() => _idle.TryTake(out var c) ? c : new Connection(new DnsEndPoint(baseAddress.Host, baseAddress.Port));

    public void Return(Connection c)
    {
        if (c.Broken) c.Dispose();
        else _idle.Add(c);
    }

    /// <summary>Thrown when the server's answer cannot be read as HTTP/1.1; the outcome of the request is unknown.</summary>
    public sealed class ProtocolException(string message) : IOException(message);

    public sealed class Connection(EndPoint endPoint) : IDisposable
    {
        private Socket? _socket;
        private byte[] _send = new byte[2048];
        private byte[] _buffer = new byte[16 * 1024];
        private int _start, _end; // unread bytes received: _buffer[_start.._end)
        private readonly MemoryStream _errorBody = new();

        /// <summary>Set when the connection must not be used again (error, timeout, or the server said Connection: close).</summary>
        public bool Broken { get; private set; }

        /// <summary>The body of the last answer that was not 2xx (for error messages).</summary>
        public string LastErrorBody => Encoding.UTF8.GetString(_errorBody.GetBuffer(), 0, (int)_errorBody.Length);

        /// <summary>Sends the template with <paramref name="id"/> filled in and reads the whole answer; returns its status code.</summary>
        public int Send(Template request, Guid id)
        {
            if (Broken) throw new InvalidOperationException("The connection is broken.");
            try
            {
                if (_send.Length < request.Bytes.Length) _send = new byte[request.Bytes.Length];
                request.Bytes.CopyTo(_send, 0);
                if (!id.TryFormat(_send.AsSpan(request.IdOffset, 36), out var written) || written != 36) throw new InvalidOperationException("guid format");
                if (_socket is null)
                {
                    _socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = TimeoutMs, SendTimeout = TimeoutMs };
                    _socket.Connect(endPoint);
                }
                var sent = 0;
                while (sent < request.Bytes.Length)
                    sent += _socket.Send(_send.AsSpan(sent, request.Bytes.Length - sent), SocketFlags.None);
                return ReadResponse();
            }
            catch
            {
                Broken = true;
                throw;
            }
        }

        private int ReadResponse()
        {
            while (true)
            {
                var headerEnd = ReadHeaders();
                var (status, contentLength, chunked, close) = ParseHeaders(_buffer.AsSpan(_start, headerEnd - _start));
                _start = headerEnd + 4;
                if (status is >= 100 and < 200) continue; // an interim answer (100 Continue): the real one follows
                _errorBody.SetLength(0);
                var keep = status >= 300;
                if (status is 204 or 304) { }
                else if (chunked) ReadChunked(keep);
                else if (contentLength >= 0) ReadBody(contentLength, keep);
                else
                {
                    // no length: the body runs until the server closes the connection
                    while (true)
                    {
                        Consume(_end - _start, keep);
                        if (!Receive(eofAllowed: true)) break;
                    }
                    close = true;
                }
                if (close) Broken = true;
                return status;
            }
        }

        /// <summary>Receives until the buffer holds a blank line; returns the index of its "\r\n\r\n".</summary>
        private int ReadHeaders()
        {
            while (true)
            {
                var at = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
                if (at >= 0) return _start + at;
                Receive(eofAllowed: false);
            }
        }

        private static (int Status, long ContentLength, bool Chunked, bool Close) ParseHeaders(ReadOnlySpan<byte> head)
        {
            // "HTTP/1.1 200 OK"
            if (head.Length < 12 || !head.StartsWith("HTTP/1."u8) || head[8] != (byte)' ') throw new ProtocolException("Not an HTTP/1.x status line.");
            var status = (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');
            if (status is < 100 or > 999) throw new ProtocolException("Bad status code.");
            long contentLength = -1;
            bool chunked = false, close = head[7] == (byte)'0'; // HTTP/1.0 closes unless told otherwise; good enough here
            var lineEnd = head.IndexOf("\r\n"u8);
            var rest = lineEnd < 0 ? [] : head[(lineEnd + 2)..];
            while (rest.Length > 0)
            {
                var end = rest.IndexOf("\r\n"u8);
                var line = end < 0 ? rest : rest[..end];
                rest = end < 0 ? [] : rest[(end + 2)..];
                var colon = line.IndexOf((byte)':');
                if (colon <= 0) continue;
                var name = line[..colon];
                var value = line[(colon + 1)..].Trim((byte)' ');
                if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
                {
                    if (!System.Buffers.Text.Utf8Parser.TryParse(value, out contentLength, out var used) || used != value.Length || contentLength < 0)
                        throw new ProtocolException("Bad Content-Length.");
                }
                else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8)) chunked = Contains(value, "chunked"u8);
                else if (Ascii.EqualsIgnoreCase(name, "Connection"u8)) close = Contains(value, "close"u8);
            }
            return (status, contentLength, chunked, close);
        }

        private static bool Contains(ReadOnlySpan<byte> value, ReadOnlySpan<byte> token)
        {
            for (var i = 0; i + token.Length <= value.Length; i++)
                if (Ascii.EqualsIgnoreCase(value.Slice(i, token.Length), token)) return true;
            return false;
        }

        private void ReadBody(long length, bool keep)
        {
            while (length > 0)
            {
                if (_start == _end) Receive(eofAllowed: false);
                var n = (int)Math.Min(length, _end - _start);
                Consume(n, keep);
                length -= n;
            }
        }

        private void ReadChunked(bool keep)
        {
            while (true)
            {
                var size = ReadChunkSize();
                if (size == 0) break;
                ReadBody(size, keep);
                ReadCrlf();
            }
            // trailers (usually none), then the blank line
            while (true)
            {
                var lineEnd = ReadLine();
                var empty = lineEnd == _start;
                _start = lineEnd + 2;
                if (empty) return;
            }
        }

        private long ReadChunkSize()
        {
            var lineEnd = ReadLine();
            var line = _buffer.AsSpan(_start, lineEnd - _start);
            var semicolon = line.IndexOf((byte)';'); // chunk extensions
            if (semicolon >= 0) line = line[..semicolon];
            line = line.Trim((byte)' ');
            if (line.Length == 0 || line.Length > 15) throw new ProtocolException("Bad chunk size.");
            long size = 0;
            foreach (var b in line)
            {
                var digit = b switch
                {
                    >= (byte)'0' and <= (byte)'9' => b - '0',
                    >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                    >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                    _ => throw new ProtocolException("Bad chunk size."),
                };
                size = size * 16 + digit;
            }
            _start = lineEnd + 2;
            return size;
        }

        private void ReadCrlf()
        {
            while (_end - _start < 2) Receive(eofAllowed: false);
            if (_buffer[_start] != '\r' || _buffer[_start + 1] != '\n') throw new ProtocolException("Chunk not followed by CRLF.");
            _start += 2;
        }

        /// <summary>Receives until the unread bytes hold a CRLF; returns its index (the line is _buffer[_start..index)).</summary>
        private int ReadLine()
        {
            while (true)
            {
                var at = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
                if (at >= 0) return _start + at;
                Receive(eofAllowed: false);
            }
        }

        private void Consume(int n, bool keep)
        {
            if (keep) _errorBody.Write(_buffer, _start, n);
            _start += n;
        }

        /// <summary>Receives more bytes after the unread ones (moving them to the front, growing the buffer when full).</summary>
        private bool Receive(bool eofAllowed)
        {
            if (_start == _end) _start = _end = 0;
            else if (_end == _buffer.Length)
            {
                var unread = _end - _start;
                if (_start == 0)
                {
                    if (_buffer.Length >= 1 << 20) throw new ProtocolException("Response headers or line over 1 MB.");
                    Array.Resize(ref _buffer, _buffer.Length * 2);
                }
                else
                {
                    Buffer.BlockCopy(_buffer, _start, _buffer, 0, unread);
                    (_start, _end) = (0, unread);
                }
            }
            var n = _socket!.Receive(_buffer.AsSpan(_end), SocketFlags.None);
            if (n == 0)
            {
                Broken = true;
                if (eofAllowed) return false;
                throw new ProtocolException("The server closed the connection before the answer was complete.");
            }
            _end += n;
            return true;
        }

        public void Dispose()
        {
            Broken = true;
            _socket?.Dispose();
        }
    }
}
