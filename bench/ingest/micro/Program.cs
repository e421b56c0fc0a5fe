// bench/ingest/micro/run.sh: CPU time per operation of what ingestion does per customer (sealing, unwrapping, blind indexes, phone numbers).
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using PhoneNumbers;
using Survey.Domain.Privacy;

var n = args.Length > 0 ? int.Parse(args[0]) : 100_000;
var key = Envelope.NewKey();
var master = Envelope.NewKey();
var indexKey = BlindIndex.TenantKey(master, "default");
using var sealer = new Envelope.Sealer(key);
using var masterSealer = new Envelope.Sealer(master);
var sealedName = sealer.Seal("王伟", "customer:C-00012345|name");
var wrapped = masterSealer.Wrap(key, "default", "customer:C-00012345");
var phones = PhoneNumberUtil.GetInstance();
var data = Encoding.UTF8.GetBytes("email:c12345@example.com");
using var inc = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, indexKey);
Span<byte> hash = stackalloc byte[32];

Measure("new AesGcm + dispose", () => { using var a = new AesGcm(key, 16); });
Measure("Sealer.Seal (short)", () => sealer.Seal("王伟", "customer:C-00012345|name"));
Measure("Sealer.Open (short)", () => sealer.Open(sealedName, "customer:C-00012345|name"));
Measure("Sealer.Holds (short)", () => sealer.Holds(sealedName, "customer:C-00012345|name", "王伟"));
Measure("master Unwrap", () => masterSealer.Unwrap(wrapped, "default", "customer:C-00012345"));
Measure("master Wrap", () => masterSealer.Wrap(key, "default", "customer:C-00012345"));
Measure("NewKey (RNG 32)", () => Envelope.NewKey());
Measure("RNG 12 bytes", () => RandomNumberGenerator.GetBytes(12));
Measure("HMACSHA256.HashData one-shot", () => HMACSHA256.HashData(indexKey, data));
Measure("IncrementalHash HMAC reuse", () => { inc.AppendData(data); inc.GetHashAndReset(); });
Measure("BlindIndex.Email", () => BlindIndex.Email(indexKey, "c12345@example.com"));
Measure("BlindIndex.Phone", () => BlindIndex.Phone(indexKey, "+8613812345678"));
Measure("new customer: key, wrap, 3 seals, 2 indexes", () =>
{
    var k = Envelope.NewKey();
    masterSealer.Wrap(k, "default", "customer:C-00012345");
    using var s = new Envelope.Sealer(k);
    s.Seal("王伟", "customer:C-00012345|name"); s.Seal("c12345@example.com", "customer:C-00012345|email"); s.Seal("+8613812345678", "customer:C-00012345|mobile");
    BlindIndex.Email(indexKey, "c12345@example.com"); BlindIndex.Phone(indexKey, "+8613812345678");
});
Measure("returning customer: unwrap, 3 holds", () =>
{
    var k = masterSealer.Unwrap(wrapped, "default", "customer:C-00012345");
    using var s = new Envelope.Sealer(k);
    s.Holds(sealedName, "customer:C-00012345|name", "王伟"); s.Holds(sealedName, "customer:C-00012345|name", "王伟"); s.Holds(sealedName, "customer:C-00012345|name", "王伟");
});
Measure("phone Parse+IsValid+Format", () => { var p = phones.Parse("13812345678", "CN"); if (phones.IsValidNumber(p)) phones.Format(p, PhoneNumberFormat.E164); });

void Measure(string name, Action a)
{
    for (var i = 0; i < n / 5; i++) a();
    var t0 = Cpu();
    for (var i = 0; i < n; i++) a();
    var t1 = Cpu();
    Console.WriteLine($"{name,-36} {(t1 - t0) / (double)n / 1000:F2} µs CPU/op");
}
static long Cpu() { ClockGetTime(3, out var t); return t.S * 1_000_000_000 + t.Ns; }
[DllImport("libc", EntryPoint = "clock_gettime")] static extern int ClockGetTime(int clock, out TimeSpec time);
struct TimeSpec { public long S; public long Ns; }
