using Npgsql;
using Survey.Api.Hosting;

namespace Survey.Tests.Api.Hosting;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the embedded cluster is run with runuser and Unix permissions
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
            (await Scalar(second.ConnectionString("survey"), "select v from kept")).ShouldBe("still here");
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

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task A_folder_closed_to_the_clusters_user_gets_its_new_cluster_kept_where_that_user_can_and_found_there_again()
    {
        // closed to other users, as root's home or a `mktemp -d` is: as root, the cluster's user (postgres) cannot pass it
        var closed = Path.Combine(Path.GetTempPath(), $"survey-closed-{Guid.NewGuid():N}");
        Directory.CreateDirectory(closed);
        File.SetUnixFileMode(closed, OwnerOnly);
        var folder = Path.Combine(closed, "postgres");
        var used = folder;
        try
        {
            using (var first = EmbeddedPostgres.Start(folder))
            {
                used = first.DataDirectory;
                if (EmbeddedPostgres.RunsAsRoot)
                {
                    used.ShouldNotStartWith(closed);
                    Path.GetFileName(Path.GetDirectoryName(used)).ShouldBe("survey-engine"); // under the postgres user's home
                    Path.GetFileName(used).ShouldStartWith($"{Path.GetFileName(closed)}-postgres-");
                    first.Relocation.ShouldNotBeNull().ShouldContain($"because {closed} is closed to other users");
                }
                else
                {
                    used.ShouldBe(folder); // this user owns the folder: nothing to move
                    first.Relocation.ShouldBeNull();
                }
                File.Exists(Path.Combine(used, "PG_VERSION")).ShouldBeTrue();
                first.EnsureDatabase("survey");
                await Execute(first.ConnectionString("survey"), "create table kept (v text); insert into kept values ('found again')");
            }

            using var second = EmbeddedPostgres.Start(folder);
            second.DataDirectory.ShouldBe(used);
            (await Scalar(second.ConnectionString("survey"), "select v from kept")).ShouldBe("found again");
        }
        finally
        {
            Directory.Delete(closed, recursive: true);
            if (used != folder)
            {
                Directory.Delete(used, recursive: true);
                File.Delete(used + ".log");
            }
        }
    }

    [Fact]
    public void A_cluster_its_user_can_no_longer_reach_is_refused_with_what_to_do_not_replaced()
    {
        var root = Path.Combine(Path.GetTempPath(), $"survey-embedded-{Guid.NewGuid():N}");
        var folder = Path.Combine(root, "postgres");
        try
        {
            EmbeddedPostgres.Start(folder).Dispose();
            File.SetUnixFileMode(root, OwnerOnly); // closed after the cluster was made there
            if (EmbeddedPostgres.RunsAsRoot)
            {
                Should.Throw<InvalidOperationException>(() => EmbeddedPostgres.Start(folder)).Message.ShouldContain($"chmod o+x {root}");
            }
            else
            {
                using var again = EmbeddedPostgres.Start(folder); // its owner still reaches it
                again.DataDirectory.ShouldBe(folder);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task Execute(string connectionString, string sql) => await Scalar(connectionString, sql);

    private static async Task<object?> Scalar(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
