using Survey.Domain.Privacy;

namespace Survey.Api.Privacy;

/// <summary>Bound from <c>Privacy</c>.</summary>
public sealed class PrivacyOptions
{
    /// <summary>Base64 of 32 random bytes wrapping every data key. Without it, one is generated once into <see cref="MasterKeyFile"/>.</summary>
    public string? MasterKey { get; set; }

    /// <summary>Where the generated master key is kept when none is configured (never in the database it protects).</summary>
    public string MasterKeyFile { get; set; } = ".data/privacy-master.key";

    /// <summary>Months after which responses and operational events are anonymised, for tenants without their own setting; 0 keeps them.</summary>
    public int RetentionMonths { get; set; }
}

/// <summary>The master key: from configuration, or generated once into a file beside the embedded database (mode 600).</summary>
public sealed class MasterKey
{
    private MasterKey(byte[] key) => Key = key;

    public byte[] Key { get; }

    public static MasterKey Load(PrivacyOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.MasterKey))
        {
            byte[] key;
            try { key = Convert.FromBase64String(options.MasterKey.Trim()); }
            catch (FormatException) { throw new InvalidOperationException("Privacy:MasterKey is not base64."); }
            return key.Length == 32 ? new MasterKey(key) : throw new InvalidOperationException("Privacy:MasterKey must be 32 bytes (base64 of 32 random bytes).");
        }
        var path = Path.GetFullPath(options.MasterKeyFile);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            var fresh = Envelope.NewKey();
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            {
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                file.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(fresh)));
            }
            return new MasterKey(fresh);
        }
        catch (IOException) when (File.Exists(path))
        {
            // another process made it first (or it existed): use that one
            for (var attempt = 0; ; attempt++)
            {
                var text = File.ReadAllText(path).Trim();
                if (text.Length > 0) return new MasterKey(Convert.FromBase64String(text));
                if (attempt > 50) throw new InvalidOperationException($"The master key file {path} is empty.");
                Thread.Sleep(20);
            }
        }
    }
}
