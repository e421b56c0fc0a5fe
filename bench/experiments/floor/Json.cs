using System.Text.Json;
using System.Text.Json.Serialization;

namespace Floor;

public sealed record SaveRequest(int Sequence, JsonElement Answers);
public sealed record SaveResult(Guid ResponseId, int Sequence, bool Completed);
public sealed record SourceView(string? Kind, string? LinkId);
public sealed record StartRequest(SourceView? Source, string? Locale = null, string? Channel = null, string? Device = null, string? PageUrl = null);
public sealed record StartResult(Guid ResponseId, Guid QuestionnaireId, int Version, bool Completed);
public sealed record CreatedId(Guid Id);
public sealed record Published(Guid Id, int Version);
public sealed record LinkRequest(Guid QuestionnaireId);
public sealed record LinkCreated(string Id, Guid QuestionnaireId);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SaveRequest))]
[JsonSerializable(typeof(SaveResult))]
[JsonSerializable(typeof(StartRequest))]
[JsonSerializable(typeof(StartResult))]
[JsonSerializable(typeof(CreatedId))]
[JsonSerializable(typeof(Published))]
[JsonSerializable(typeof(LinkRequest))]
[JsonSerializable(typeof(LinkCreated))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class FloorJson : JsonSerializerContext;
