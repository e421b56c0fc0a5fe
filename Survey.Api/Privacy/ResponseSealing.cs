using Marten;
using Survey.Domain.Invitations;
using Survey.Domain.Privacy;
using Survey.Domain.Questionnaires;
using Survey.Domain.Responses;

namespace Survey.Api.Privacy;

/// <summary>
/// Free-text answers of one save, sealed under the response's data key before their events are appended. The decider works on
/// clear values (<see cref="Open"/>), its events are sealed afterwards (<see cref="Seal"/>). Sealing is deterministic, so a
/// retried save seals to the same text and its stored fingerprint (made from the sealed answers) still recognises it.
/// </summary>
public sealed class ResponseSealing
{
    private readonly QuestionnaireDefinition _definition;
    private readonly string _keyId;
    private readonly byte[] _key;
    private readonly KeyRing _ring;

    private ResponseSealing(QuestionnaireDefinition definition, string keyId, byte[] key, KeyRing ring) =>
        (_definition, _keyId, _key, _ring) = (definition, keyId, key, ring);

    /// <summary>Null when neither the response nor this save holds free text (nothing to seal or open: no key is read).</summary>
    /// <param name="noDataKey">The caller knows the response has no data key (the save path read so with the response): no
    /// look-up. Were it wrong, the new key's insert would collide with the existing one and nothing would be committed.</param>
    public static async Task<ResponseSealing?> For(PersonalDataVault vault, IDocumentSession session, Response response, QuestionnaireDefinition definition,
        IReadOnlyDictionary<string, Answer?> incoming, CancellationToken ct, bool noDataKey = false)
    {
        var hasText = incoming.Any(a => a.Value?.Text is not null && IsFreeText(definition, a.Key));
        if (!hasText && !PersonalDataVault.HasSealedText(response)) return null;
        var keyId = KeyIds.Response(response.Id);
        // the save path's own per-node cache of opened keys (its rule: DataKeys)
        var ring = noDataKey ? new KeyRing([]) : await vault.Keys.LoadForSave(session, keyId, ct);
        if (ring.TryGet(keyId, out var key)) return new ResponseSealing(definition, keyId, key, ring);
        if (PersonalDataVault.HasSealedText(response) && !hasText) return null; // erased or past retention: nothing to open
        var subject = keyId;
        if (response.Source.InvitationId is { } invitationId && (await session.LoadAsync<Invitation>(invitationId, ct))?.CustomerExternalId is { } customer)
            subject = KeyIds.Customer(customer);
        key = vault.Keys.Create(session, ring, keyId, subject, response.StartedAt);
        return new ResponseSealing(definition, keyId, key, ring) { _created = (vault.Keys, session.TenantId) };
    }

    private (DataKeys Keys, string Tenant)? _created;

    /// <summary>After the save is committed: a key this save created may now be cached (never before: a rolled-back key must not be used).</summary>
    public void Committed()
    {
        if (_created is var (keys, tenant)) keys.Remember(tenant, _keyId, _key);
    }

    private static bool IsFreeText(QuestionnaireDefinition definition, string questionId) => definition.Find(questionId)?.Type == QuestionType.FreeText;

    /// <summary>
    /// The state the decider should see: answers in clear, and the fingerprint of save <paramref name="sequence"/> as the clear
    /// answers would give it when the stored one came from the same answers sealed.
    /// </summary>
    public Response Open(Response state, int sequence, IReadOnlyDictionary<string, Answer?> incoming)
    {
        var open = PersonalDataVault.Open(_ring, state);
        if (open.Saves.TryGetValue(sequence, out var stored) && stored == SaveFingerprint.Of(SealAnswers(incoming)))
            open = open with { Saves = new Dictionary<int, string>(open.Saves) { [sequence] = SaveFingerprint.Of(incoming) } };
        return open;
    }

    public object[] Seal(object[] events) =>
        events.Select(e => e is ResponseAnswersSaved saved ? saved with { Answers = SealAnswers(saved.Answers) } : e).ToArray();

    private IReadOnlyDictionary<string, Answer?> SealAnswers(IReadOnlyDictionary<string, Answer?> answers) =>
        answers.ToDictionary(a => a.Key, a => a.Value is { Text: { } text } answer && IsFreeText(_definition, a.Key) && !Envelope.IsSealed(text)
            ? answer with { Text = Envelope.SealDeterministic(_key, text, PersonalDataVault.Context(_keyId, a.Key)) }
            : a.Value);
}
