using System.Security.Cryptography;

namespace Survey.Tests.Infrastructure;

/// <summary>
/// Two API nodes on one fresh database with the same master key and no job server: what a test of per-node state (caches,
/// copies kept between requests) runs against.
/// </summary>
public abstract class TwoNodes : IAsyncLifetime
{
    protected sealed class Node(string connectionString, string masterKey) : ApiFixture(connectionString)
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Privacy:MasterKey"] = masterKey,
            ["Storage:RunJobServer"] = "false",
        };
    }

    protected string Database { get; } = TestPostgres.CreateDatabase();
    private readonly string _key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    protected Node NodeA { get; private set; } = null!;
    protected Node NodeB { get; private set; } = null!;

    public Task InitializeAsync()
    {
        NodeA = new Node(Database, _key);
        NodeB = new Node(Database, _key);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await NodeA.DisposeAsync();
        await NodeB.DisposeAsync();
    }
}
