using Microsoft.Extensions.DependencyInjection;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Hosting;

/// <summary>
/// Some hot paths write Marten's tables with set-based SQL of their own instead of Marten's per-row functions: the answer saves
/// (SaveBatchSql), the dispatcher (InvitationStreams) and ingestion (BulkDocuments). They fill the columns these tables have
/// today. A column Marten adds later (a duplicated field, event metadata such as correlation ids or headers) would be left
/// empty by them without any error, so this test pins the column sets: when it fails, teach those writers the new column.
/// </summary>
public class SetBasedWritersTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    public static TheoryData<string, string> Tables => new()
    {
        // bdata holds the payload of event types registered for binary serialisation only (none here): null, as the writers leave it
        { "mt_events", "bdata,data,id,is_archived,mt_dotnet_type,seq_id,stream_id,tenant_id,timestamp,type,version" },
        // questionnaire_id (a duplicated field) never changes after the start, which Marten writes: the save batch's update keeps it
        { "mt_doc_response", "data,id,mt_dotnet_type,mt_last_modified,mt_version,questionnaire_id,tenant_id" },
        { "mt_doc_invitation", "data,id,mt_dotnet_type,mt_last_modified,mt_version,tenant_id" },
        { "mt_doc_shortlink", "data,id,mt_dotnet_type,mt_last_modified,mt_version" },
        { "mt_doc_customerrecord", "data,id,mt_dotnet_type,mt_last_modified,mt_version,tenant_id" },
        { "mt_doc_operationaleventrecord", "data,id,mt_dotnet_type,mt_last_modified,mt_version,tenant_id" },
        { "mt_doc_datakey", "data,id,mt_dotnet_type,mt_last_modified,mt_version,tenant_id" },
    };

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task A_table_written_with_set_based_sql_has_the_columns_its_writers_fill(string table, string columns)
    {
        _ = api.CreateClient(); // the host starts and migrates
        var actual = await TestPostgres.TextAsync(api.ConnectionString,
            $"select string_agg(column_name, ',' order by column_name) from information_schema.columns where table_schema = 'survey' and table_name = '{table}'");
        actual.ShouldBe(columns, $"survey.{table} changed: SaveBatchSql, InvitationStreams and BulkDocuments write it with their own SQL");
    }

    [Fact]
    public async Task Saves_use_generic_plans_on_their_own_pool_and_stream_versions_move_on_in_place()
    {
        _ = api.CreateClient();
        // the save writer's pool never re-plans its statements; Marten's own pool keeps PostgreSQL's default
        await using (var saves = api.Services.GetRequiredKeyedService<Npgsql.NpgsqlDataSource>(Survey.Api.Respondents.Answering.SaveWriter.DataSourceKey).CreateCommand("show plan_cache_mode"))
            (await saves.ExecuteScalarAsync()).ShouldBe("force_generic_plan");
        (await TestPostgres.TextAsync(api.ConnectionString, "show plan_cache_mode")).ShouldBe("auto");
        // room on the stream table's pages for HOT updates of the version (EventStoreSetup)
        (await TestPostgres.TextAsync(api.ConnectionString, "select array_to_string(reloptions, ',') from pg_class where oid = 'survey.mt_streams'::regclass"))
            .ShouldBe("fillfactor=80");
    }
}
