using System.Diagnostics;
using Survey.Domain.Privacy;

// CPU per operation of the envelope code on one core, after a warm-up: what sealing adds to a save, a send, an export row.
var key = Envelope.NewKey();
var master = Envelope.NewKey();
var comment = new string('x', 450); // the benchmark save's ~450-character comment
var sealedComment = Envelope.SealDeterministic(key, comment, "response:abc|comment");
var wrapped = Envelope.Wrap(master, key, "default", "response:abc");
var index = BlindIndex.TenantKey(master, "default");

Measure("seal 450 chars, deterministic (a free-text save)", () => Envelope.SealDeterministic(key, comment, "response:abc|comment"));
Measure("seal 20 chars, random nonce (a customer field)", () => Envelope.Seal(key, "wang.wei@example.cn", "customer:C-1|email"));
Measure("open 450 chars (a shown answer)", () => Envelope.Open(key, sealedComment, "response:abc|comment"));
Measure("unwrap a data key (one per subject per request)", () => Envelope.Unwrap(master, wrapped, "default", "response:abc"));
Measure("blind index of an e-mail", () => BlindIndex.Email(index, "wang.wei@example.cn"));
Console.WriteLine($"sealed size: {comment.Length} chars -> {sealedComment.Length} chars");

static void Measure(string what, Func<object> op)
{
    for (var i = 0; i < 20_000; i++) op();
    var runs = new List<double>();
    for (var round = 0; round < 5; round++)
    {
        const int n = 100_000;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < n; i++) op();
        runs.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / n);
    }
    runs.Sort();
    Console.WriteLine($"{what,-52} median {runs[2]:F2} µs CPU/op (min {runs[0]:F2}, max {runs[4]:F2})");
}
