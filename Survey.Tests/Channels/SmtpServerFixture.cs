using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace Survey.Tests.Channels;

/// <summary>
/// A real SMTP server: Debian's python3-aiosmtpd with its Maildir handler, on 127.0.0.1 on a free port, delivering into a
/// temporary Maildir whose <c>new/</c> folder the tests read back with MimeKit.
/// </summary>
public sealed class SmtpServerFixture : IAsyncLifetime
{
    private Process? _process;
    private readonly StringBuilder _output = new();

    public string MailDir { get; } = Path.Combine(Path.GetTempPath(), $"survey-maildir-{Guid.NewGuid():N}");
    public int Port { get; private set; }

    public async Task InitializeAsync()
    {
        foreach (var folder in new[] { "tmp", "new", "cur" }) Directory.CreateDirectory(Path.Combine(MailDir, folder));
        Port = FreePort();
        var start = new ProcessStartInfo("/usr/bin/python3", ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", "-c", "aiosmtpd.handlers.Mailbox", MailDir])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"aiosmtpd exited with {_process.ExitCode} (install Debian's python3-aiosmtpd): {_output}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Every message delivered so far.</summary>
    public IReadOnlyList<MimeMessage> Delivered() =>
        Directory.GetFiles(Path.Combine(MailDir, "new")).Select(f => MimeMessage.Load(f)).ToList();

    /// <summary>The messages with this Message-ID, waiting briefly for the server to write them.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitFor(string messageId, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var found = Delivered().Where(m => m.MessageId == messageId).ToList();
            if (found.Count >= count || DateTime.UtcNow > deadline) return found;
            await Task.Delay(50);
        }
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        try { Directory.Delete(MailDir, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
