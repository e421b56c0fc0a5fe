using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Survey.Domain.Triggers.Firing;

/// <summary>
/// Deterministic sampling: a seed (trigger id and the event's external id) is hashed with SHA-256 to a position in [0, 1);
/// the event is in the sample when the position is below the rate. A retry, on any node, decides the same.
/// </summary>
public static class Sampling
{
    /// <summary>The seed for one trigger and one operational event.</summary>
    public static string Seed(Guid triggerId, string eventExternalId) => $"{triggerId:N}:{eventExternalId}";

    /// <param name="ratePercent">0-100; 100 includes everything, 0 nothing.</param>
    public static bool Includes(decimal ratePercent, string seed)
    {
        if (ratePercent >= 100) return true;
        if (ratePercent <= 0) return false;
        return Position(seed) < (double)(ratePercent / 100m);
    }

    /// <summary>The seed's place in [0, 1): the first 53 bits of its SHA-256 (UTF-8) as a fraction.</summary>
    public static double Position(string seed)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(seed), hash);
        return (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1.0 / (1UL << 53));
    }
}
