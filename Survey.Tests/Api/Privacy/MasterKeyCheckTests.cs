using System.Net;
using System.Security.Cryptography;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Privacy;

/// <summary>A node started with another master key than the database's data keys were wrapped with refuses to start.</summary>
public class MasterKeyCheckTests
{
    private sealed class Node(string connectionString, string masterKey) : ApiFixture(connectionString)
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Privacy:MasterKey"] = masterKey,
            ["Storage:RunJobServer"] = "false",
        };
    }

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task A_second_node_with_the_same_key_starts_and_one_with_another_key_refuses_with_a_clear_error()
    {
        var database = TestPostgres.CreateDatabase();
        var key = NewKey();
        await using var first = new Node(database, key);
        (await first.CreateClient().GetAsync("/api/regions")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var same = new Node(database, key);
        (await same.CreateClient().GetAsync("/api/regions")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await using var other = new Node(database, NewKey());
        var error = Should.Throw<InvalidOperationException>(() => other.CreateClient());
        error.Message.ShouldContain("Privacy:MasterKey");
        error.Message.ShouldContain("every node");

        // the recorded fingerprint is still the first node's, and the first node still works
        (await TestPostgres.TextAsync(database, "select fingerprint from survey.privacy_master_key"))
            .ShouldBe(Survey.Api.Privacy.MasterKeyCheck.Fingerprint(Convert.FromBase64String(key)));
        (await first.CreateClient().GetAsync("/api/regions")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
