using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Floor;

/// <summary>
/// Just what bench/SaveLoad does before a run (Respondent.PublishWithLink): create a questionnaire, publish it, open a link.
/// No sign-in (/api/dev/sign-in answers 404, which the harness takes as "no sign-in needed"): a bench server on 127.0.0.1 only.
/// </summary>
public static class BenchAdminApi
{
    public static IEndpointRouteBuilder MapBenchAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/questionnaires", async (JsonElement definition, NpgsqlDataSource db, CancellationToken ct) =>
        {
            if (definition.ValueKind != JsonValueKind.Object) return TypedResults.Problem("A questionnaire is a JSON object.", statusCode: 400);
            var id = Guid.CreateVersion7();
            await using var cmd = db.CreateCommand("insert into survey.questionnaires (id, definition) values ($1, $2)");
            cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = definition.GetRawText(), NpgsqlDbType = NpgsqlDbType.Jsonb });
            await cmd.ExecuteNonQueryAsync(ct);
            return Results.Created($"/api/questionnaires/{id}", new CreatedId(id));
        });
        app.MapPost("/api/questionnaires/{id:guid}/publish", async (Guid id, NpgsqlDataSource db, CancellationToken ct) =>
        {
            await using var cmd = db.CreateCommand("update survey.questionnaires set version = coalesce(version, 0) + 1 where id = $1 returning version");
            cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            return await cmd.ExecuteScalarAsync(ct) is int version
                ? Results.Ok(new Published(id, version))
                : TypedResults.Problem("No such questionnaire.", statusCode: 404);
        });
        app.MapPost("/api/public-links", async (LinkRequest request, NpgsqlDataSource db, CancellationToken ct) =>
        {
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            await using var cmd = db.CreateCommand(
                "insert into survey.links (id, questionnaire_id) select $1, id from survey.questionnaires where id = $2 and version is not null");
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
            cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = request.QuestionnaireId });
            return await cmd.ExecuteNonQueryAsync(ct) == 1
                ? Results.Created($"/api/public-links/{id}", new LinkCreated(id, request.QuestionnaireId))
                : TypedResults.Problem("No such published questionnaire.", statusCode: 404);
        });
        return app;
    }
}
