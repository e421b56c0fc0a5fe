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

    /// <summary>
    /// How this node runs Marten's async daemon (analytics projections): Solo (default; run it on exactly one node), HotCold (nodes
    /// elect one through an advisory lock; does not work with the DistributedLock.Postgres 1.3.1 stand-in, see README) or Disabled.
    /// </summary>
    public JasperFx.Events.Daemon.DaemonMode ProjectionDaemon { get; set; } = JasperFx.Events.Daemon.DaemonMode.Solo;

    /// <summary>Hangfire workers on this node.</summary>
    public int JobWorkers { get; set; } = Math.Clamp(Environment.ProcessorCount * 2, 2, 20);
}
