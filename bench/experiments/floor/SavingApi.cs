using System.Buffers;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Floor;

/// <summary>The two public routes the benchmark measures: start a response, save answers into it.</summary>
public static class SavingApi
{
    private const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapSavingApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/public/responses");
        group.MapPut("/{responseId:guid}", Start);
        group.MapPost("/{responseId:guid}/saves", Save);
        return app;
    }

    private static async Task<IResult> Start(Guid responseId, StartRequest request, FloorDatabase db, CancellationToken ct)
    {
        if (request.Source is not { Kind: "link", LinkId: { Length: > 0 and <= 64 } linkId }) return Problem(400, "source is { kind: link, linkId }.");
        if (request.Channel is not (null or "web" or "sms" or "email" or "miniProgram")) return Problem(400, "channel is web, sms, email or miniProgram.");
        try
        {
            if (await db.QuestionnaireOfLink(linkId, ct) is not { } questionnaire) return Problem(404, "No such link.");
            var started = await db.InsertStart(responseId, questionnaire, linkId, request, ct);
            var result = new StartResult(responseId, questionnaire, 1, false);
            return started ? TypedResults.Created($"/api/public/responses/{responseId}", result) : TypedResults.Ok(result);
        }
        catch (NpgsqlException) { return Problem(503, "The database is unavailable; try again."); }
    }

    /// <summary>200 only after the commit that holds the save; a save number already stored changes nothing and is 200 again.</summary>
    private static async Task<IResult> Save(Guid responseId, HttpRequest http, ISaveAppender appender, FloorDatabase db, CancellationToken ct)
    {
        if (http.ContentLength is > MaxBodyBytes) return Problem(413, $"A save is at most {MaxBodyBytes} bytes.");
        var read = await http.BodyReader.ReadAtLeastAsync(MaxBodyBytes + 1, ct); // returns at the end of the body
        var body = read.Buffer;
        try
        {
            if (body.Length > MaxBodyBytes) return Problem(413, $"A save is at most {MaxBodyBytes} bytes.");
            SaveRequest? request;
            try
            {
                var reader = new Utf8JsonReader(body);
                request = JsonSerializer.Deserialize(ref reader, FloorJson.Default.SaveRequest);
            }
            catch (JsonException) { return Problem(400, "The body is not a JSON save."); }
            if (request is null || request.Sequence < 1) return Problem(400, "sequence is a number from 1.");
            if (request.Answers.ValueKind != JsonValueKind.Object) return Problem(400, "answers is an object.");

            var text = Encoding.UTF8.GetString(body);
            if (!await appender.Append(responseId, request.Sequence, text, ct) && !await db.ResponseExists(responseId, ct))
                return Problem(404, "No such response.");
            return TypedResults.Ok(new SaveResult(responseId, request.Sequence, false));
        }
        catch (NpgsqlException) { return Problem(503, "The database is unavailable; the save was not stored, try again."); }
        finally
        {
            http.BodyReader.AdvanceTo(body.End);
        }
    }

    private static IResult Problem(int status, string detail) => TypedResults.Problem(detail, statusCode: status);
}
