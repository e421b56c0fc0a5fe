namespace Survey.Api.Storage;

/// <summary>Bound from the <c>Storage</c> section.</summary>
public sealed class StorageOptions
{
    /// <summary>Where the embedded PostgreSQL cluster lives when no connection string is configured.</summary>
    public string EmbeddedDataDirectory { get; set; } = ".data/postgres";

    /// <summary>Database created in the embedded cluster.</summary>
    public string EmbeddedDatabase { get; set; } = "survey";

    /// <summary>Marten's schema for documents and events.</summary>
    public string Schema { get; set; } = "survey";

    /// <summary>Hangfire's own schema in the same database.</summary>
    public string HangfireSchema { get; set; } = "hangfire";

    /// <summary>Whether this node runs a Hangfire server (more nodes can join the same database).</summary>
    public bool RunJobServer { get; set; } = true;

    /// <summary>Hangfire workers on this node.</summary>
    public int JobWorkers { get; set; } = Math.Clamp(Environment.ProcessorCount * 2, 2, 20);
}
