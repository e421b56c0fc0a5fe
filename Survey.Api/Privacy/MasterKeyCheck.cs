using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;
using Survey.Api.Storage;

namespace Survey.Api.Privacy;

/// <summary>
/// Every node must wrap data keys with the same master key: a node with another key (a second machine that generated its own
/// key file, a typo in <c>Privacy:MasterKey</c>) would seal data the others cannot open and fail to open theirs. The first node
/// to start records a fingerprint of its master key (an HMAC of a fixed label, which reveals nothing about the key) in
/// <c>privacy_master_key</c>; every later start compares and refuses to start on a mismatch.
/// </summary>
public sealed class MasterKeyCheck(MasterKey master, NpgsqlDataSource database, IOptions<StorageOptions> storage, TimeProvider time) : IHostedService
{
    public static string Fingerprint(byte[] masterKey) =>
        Convert.ToBase64String(HMACSHA256.HashData(masterKey, Encoding.ASCII.GetBytes("survey|privacy|master-key-check|v1")));

    public async Task StartAsync(CancellationToken ct)
    {
        var table = $"{storage.Value.Schema}.privacy_master_key";
        var mine = Fingerprint(master.Key);
        await using (var create = database.CreateCommand($"""
            create schema if not exists {storage.Value.Schema};
            create table if not exists {table} (id int primary key check (id = 1), fingerprint text not null, recorded_at timestamptz not null)
            """))
        {
            try { await create.ExecuteNonQueryAsync(ct); }
            catch (PostgresException e) when (e.SqlState is "23505" or "42P07") { /* another node created it at the same moment */ }
        }
        await using var record = database.CreateCommand($"""
            with inserted as (insert into {table} (id, fingerprint, recorded_at) values (1, $1, $2) on conflict (id) do nothing returning fingerprint)
            select fingerprint from inserted union all select fingerprint from {table} where id = 1 limit 1
            """);
        record.Parameters.Add(new NpgsqlParameter { Value = mine });
        record.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow().ToUniversalTime() });
        var recorded = (string)(await record.ExecuteScalarAsync(ct))!;
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(recorded), Encoding.ASCII.GetBytes(mine)))
            throw new InvalidOperationException(
                "This node's privacy master key is not the one this database's data keys are wrapped with. Set the same Privacy:MasterKey " +
                "(base64 of 32 bytes) on every node that shares the database; a node without it generates its own key file (Privacy:MasterKeyFile).");
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
