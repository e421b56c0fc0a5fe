using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DispatchBench;

/// <summary>Debian's aiosmtpd with its Maildir handler in its own process, as in Survey.Tests/Channels/SmtpServerFixture.</summary>
public sealed class SmtpServer : IAsyncDisposable
{
    private readonly Process _process;
    public string MailDir { get; }
    public int Port { get; }

    private SmtpServer(Process process, string mailDir, int port) => (_process, MailDir, Port) = (process, mailDir, port);

    public int Pid => _process.Id;

    public static async Task<SmtpServer> Start(string mailDir)
    {
        foreach (var folder in new[] { "tmp", "new", "cur" }) Directory.CreateDirectory(Path.Combine(mailDir, folder));
        var port = FreePort();
        var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", mailDir])
        {
            RedirectStandardOutput = false, RedirectStandardError = false, UseShellExecute = false,
        })!;
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"aiosmtpd exited with {process.ExitCode} (install Debian's python3-aiosmtpd).");
            try { using var probe = new TcpClient(); await probe.ConnectAsync(IPAddress.Loopback, port); break; }
            catch (SocketException) when (DateTime.UtcNow < until) { await Task.Delay(200); }
        }
        return new SmtpServer(process, mailDir, port);
    }

    public int Delivered() => Directory.EnumerateFiles(Path.Combine(MailDir, "new")).Count();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); }
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// A minimal stand-in for Twilio's Messages API (Kestrel on 127.0.0.1): <c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c>
/// with basic auth and the form fields To, From, Body; answers 201 with the documented Message resource. Counts what it accepted.
/// </summary>
public sealed class SmsStandIn : IAsyncDisposable
{
    public const string AccountSid = "AC00000000000000000000000000bench";
    public const string AuthToken = "bench-auth-token";
    private readonly WebApplication _app;
    private long _accepted, _refused;

    private SmsStandIn(WebApplication app, Uri baseAddress) => (_app, BaseAddress) = (app, baseAddress);

    public Uri BaseAddress { get; }
    public long Accepted => Interlocked.Read(ref _accepted);
    public long Refused => Interlocked.Read(ref _refused);

    public static async Task<SmsStandIn> Start()
    {
        var port = SmtpServer.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new SmsStandIn(app, new Uri($"http://127.0.0.1:{port}"));
        var auth = "Basic " + Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"{AccountSid}:{AuthToken}"));
        app.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", async (string sid, HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            if (sid != AccountSid || context.Request.Headers.Authorization != auth || string.IsNullOrEmpty(form["To"]) || string.IsNullOrEmpty(form["Body"])
                || (string.IsNullOrEmpty(form["From"]) && string.IsNullOrEmpty(form["MessagingServiceSid"])))
            {
                Interlocked.Increment(ref standIn._refused);
                return Results.Json(new { code = 20003, message = "Authenticate", more_info = "https://www.twilio.com/docs/errors/20003", status = 401 }, statusCode: 401);
            }
            Interlocked.Increment(ref standIn._accepted);
            var messageSid = "SM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var now = DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture);
            return Results.Json(new Dictionary<string, object?>
            {
                ["account_sid"] = AccountSid, ["api_version"] = "2010-04-01", ["body"] = form["Body"].ToString(), ["date_created"] = now, ["date_sent"] = null,
                ["date_updated"] = now, ["direction"] = "outbound-api", ["error_code"] = null, ["error_message"] = null, ["from"] = form["From"].ToString(),
                ["messaging_service_sid"] = null, ["num_media"] = "0", ["num_segments"] = "1", ["price"] = null, ["price_unit"] = "USD", ["sid"] = messageSid,
                ["status"] = "queued", ["subresource_uris"] = new Dictionary<string, string> { ["media"] = $"/2010-04-01/Accounts/{AccountSid}/Messages/{messageSid}/Media.json" },
                ["to"] = form["To"].ToString(), ["uri"] = $"/2010-04-01/Accounts/{AccountSid}/Messages/{messageSid}.json",
            }, (JsonSerializerOptions?)null, statusCode: 201);
        });
        await app.StartAsync();
        return standIn;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
