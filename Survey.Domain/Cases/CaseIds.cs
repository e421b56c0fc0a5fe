using System.Security.Cryptography;
using System.Text;

namespace Survey.Domain.Cases;

/// <summary>Name-based ids (version 5 layout), so a retried step finds the stream it already made instead of making a second one.</summary>
public static class CaseIds
{
    /// <summary>The one case a response can open.</summary>
    public static Guid ForResponse(Guid responseId) => Named($"case/{responseId:N}");

    /// <summary>The invitation of a case's re-survey in one resolution round.</summary>
    public static Guid ResurveyInvitation(Guid caseId, int round) => Named($"resurvey/{caseId:N}/{round}");

    /// <summary>The e-mail of one escalation to one recipient; its Message-ID is made from this, so a resend is recognisable.</summary>
    public static Guid EscalationMessage(Guid caseId, CaseSla sla, int round, string recipient) => Named($"escalation/{caseId:N}/{sla}/{round}/{recipient.ToLowerInvariant()}");

    private static Guid Named(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
