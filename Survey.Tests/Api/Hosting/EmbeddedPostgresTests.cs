using Npgsql;
using Survey.Api.Hosting;

namespace Survey.Tests.Api.Hosting;

public class EmbeddedPostgresTests
{
    [Fact]
    public async Task A_cluster_is_created_once_and_reused_with_its_data_on_the_next_start()
    {
        var root = Path.Combine(Path.GetTempPath(), $"survey-embedded-{Guid.NewGuid():N}");
        var folder = Path.Combine(root, "postgres");
        try
        {
            using (var first = EmbeddedPostgres.Start(folder))
            {
                first.EnsureDatabase("survey");
                await Execute(first.ConnectionString("survey"), "create table kept (v text); insert into kept values ('still here')");
                File.Exists(Path.Combine(folder, "PG_VERSION")).ShouldBeTrue();
            }
            File.Exists(Path.Combine(folder, "postmaster.pid")).ShouldBeFalse("the server stops with its owner");

            using var second = EmbeddedPostgres.Start(folder);
            second.EnsureDatabase("survey"); // already there: no error, no new database
            await using var connection = new NpgsqlConnection(second.ConnectionString("survey"));
            await connection.OpenAsync();
            await using var read = new NpgsqlCommand("select v from kept", connection);
            (await read.ExecuteScalarAsync()).ShouldBe("still here");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_second_owner_of_the_same_folder_is_refused_with_a_clear_message()
    {
        var root = Path.Combine(Path.GetTempPath(), $"survey-embedded-{Guid.NewGuid():N}");
        try
        {
            using var first = EmbeddedPostgres.Start(Path.Combine(root, "postgres"));
            Should.Throw<InvalidOperationException>(() => EmbeddedPostgres.Start(Path.Combine(root, "postgres")))
                .Message.ShouldContain("Another process is running the embedded PostgreSQL");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Missing_binaries_give_one_message_saying_what_to_install()
    {
        var empty = Directory.CreateTempSubdirectory().FullName;
        var error = Should.Throw<InvalidOperationException>(() => EmbeddedPostgres.FindBinaries(searchPath: empty, versionsRoot: empty));
        error.Message.ShouldContain("apt-get install postgresql");
        error.Message.ShouldContain("ConnectionStrings__Postgres");
    }

    [Fact]
    public void Binaries_are_found_on_this_machine()
    {
        var bin = EmbeddedPostgres.FindBinaries();
        File.Exists(Path.Combine(bin, "postgres")).ShouldBeTrue();
    }

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
