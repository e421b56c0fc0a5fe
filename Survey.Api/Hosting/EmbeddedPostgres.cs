using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Survey.Api.Hosting;

/// <summary>
/// A private PostgreSQL cluster run with the machine's own binaries (initdb, pg_ctl) on 127.0.0.1 and a free port.
/// The API starts one under <c>.data/postgres</c> when no connection string is configured; the tests start a throwaway one per run.
/// PostgreSQL refuses to run as root, so when this process is root the cluster runs as the <c>postgres</c> system user. That user
/// must be able to reach the folder: a repository cloned as root into a folder closed to other users (root's home is 0700 on
/// Debian, so is a <c>mktemp -d</c>) would stop the first start with initdb's "Permission denied". A new cluster for such a
/// folder is kept under the postgres user's home instead (<see cref="Relocation"/> says where and why); nothing is chmod-ed.
/// </summary>
public sealed class EmbeddedPostgres : IDisposable
{
    private const string SystemUser = "postgres";
    private readonly string _binDirectory;
    private readonly FileStream _lock;
    private bool _stopped;

    private EmbeddedPostgres(string binDirectory, string dataDirectory, int port, FileStream @lock, string? relocation)
    {
        _binDirectory = binDirectory;
        _lock = @lock;
        DataDirectory = dataDirectory;
        Port = port;
        Relocation = relocation;
    }

    /// <summary>Where the cluster's files are: the folder asked for, or the one it was moved to (<see cref="Relocation"/>).</summary>
    public string DataDirectory { get; }
    public int Port { get; }
    /// <summary>Why the cluster is not in the folder asked for, or null when it is.</summary>
    public string? Relocation { get; }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = SystemUser, Database = database }.ConnectionString;

    /// <summary>Initialises the cluster if the folder is empty, then starts it. Blocks until it accepts connections.</summary>
    /// <param name="maxConnections">The server's max_connections (the test suite runs many hosts, each with its own pools, against one cluster).</param>
    public static EmbeddedPostgres Start(string dataDirectory, ILogger? logger = null, int? port = null, int maxConnections = 200)
    {
        var bin = FindBinaries();
        dataDirectory = Path.GetFullPath(dataDirectory);
        var asRoot = RunsAsRoot;
        Directory.CreateDirectory(dataDirectory);
        var folderLock = LockFolder(dataDirectory);
        string? relocation = null;
        if (asRoot && ClosedToSystemUser(dataDirectory) is { } closed)
        {
            if (File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
            {
                folderLock.Dispose();
                throw new InvalidOperationException(
                    $"The embedded PostgreSQL runs as the {SystemUser} user (this process is root), which cannot reach {dataDirectory}: {closed} is closed to other users. " +
                    $"Open it (chmod o+x {closed}) to use the cluster that is there, or set ConnectionStrings__Postgres to an existing server.");
            }
            var moved = Path.Combine(SystemUserHome(), "survey-engine", FolderName(dataDirectory));
            relocation = $"the {SystemUser} user (the cluster's owner, as this process is root) cannot reach {dataDirectory} because {closed} is closed to other users, " +
                $"so the cluster is kept in {moved}; open {closed} (chmod o+x) before the first start to keep it beside the application";
            logger?.LogWarning("Embedded PostgreSQL: {Relocation}", relocation);
            dataDirectory = moved;
            Directory.CreateDirectory(dataDirectory);
        }

        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            logger?.LogInformation("Initialising a PostgreSQL cluster in {DataDirectory}", dataDirectory);
            if (asRoot) Run("chown", ["-R", $"{SystemUser}:", dataDirectory]);
            Run(Path.Combine(bin, "initdb"), ["-D", dataDirectory, "-U", SystemUser, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"], asRoot);
        }
        else if (asRoot)
        {
            Run("chown", ["-R", $"{SystemUser}:", dataDirectory]);
        }

        var pgCtl = Path.Combine(bin, "pg_ctl");
        // A server left running by a process that died owns this folder: stop it, we start our own.
        if (File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
            TryRun(pgCtl, ["stop", "-D", dataDirectory, "-m", "fast", "-w"], asRoot);

        port ??= FreePort();
        var log = Path.Combine(Path.GetDirectoryName(dataDirectory)!, Path.GetFileName(dataDirectory) + ".log");
        if (asRoot)
        {
            if (!File.Exists(log)) File.WriteAllText(log, "");
            Run("chown", [$"{SystemUser}:", log]);
        }
        var options = $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections={maxConnections} -c fsync=on";
        Run(pgCtl, ["start", "-D", dataDirectory, "-w", "-t", "60", "-l", log, "-o", options], asRoot);
        logger?.LogInformation("PostgreSQL started on 127.0.0.1:{Port} from {DataDirectory}", port, dataDirectory);
        var cluster = new EmbeddedPostgres(bin, dataDirectory, port.Value, folderLock, relocation);
        // Also stop when the host never got as far as running its hosted services, or crashed on the way (port in use...).
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => cluster.Stop();
        return cluster;
    }

    /// <summary>
    /// The first folder on the way to <paramref name="dataDirectory"/> that the postgres system user may not pass through (no
    /// search permission for it), or null when it reaches the folder's parent.
    /// </summary>
    private static string? ClosedToSystemUser(string dataDirectory)
    {
        var parent = Path.GetDirectoryName(dataDirectory)!;
        if (Execute("test", ["-x", parent], asPostgresUser: true).Code == 0) return null;
        var path = "/";
        foreach (var part in parent.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            path = Path.Combine(path, part);
            if (Execute("test", ["-x", path], asPostgresUser: true).Code != 0) return path;
        }
        return parent;
    }

    /// <summary>The postgres system user's home (Debian: /var/lib/postgresql), where a relocated cluster is kept.</summary>
    private static string SystemUserHome()
    {
        var entry = File.Exists("/etc/passwd") ? File.ReadLines("/etc/passwd").Select(l => l.Split(':')).FirstOrDefault(f => f.Length > 5 && f[0] == SystemUser) : null;
        var home = entry?[5] is { Length: > 1 } h && Directory.Exists(h) ? h : null;
        return home ?? throw new InvalidOperationException(
            $"The embedded PostgreSQL runs as the {SystemUser} user (this process is root), which has no home folder to keep a cluster in. " +
            "Install PostgreSQL's server package (Debian: apt-get install postgresql), or set ConnectionStrings__Postgres to an existing server.");
    }

    /// <summary>A stable, readable folder name for a path: its last two parts and a hash of the whole.</summary>
    private static string FolderName(string dataDirectory)
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dataDirectory)))[..12];
        var parts = dataDirectory.Split('/', StringSplitOptions.RemoveEmptyEntries).TakeLast(2)
            .Select(p => new string(p.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray()));
        return $"{string.Join('-', parts)}-{hash}";
    }

    /// <summary>One process owns a cluster folder at a time; a second one would stop the first one's server.</summary>
    private static FileStream LockFolder(string dataDirectory)
    {
        var path = Path.Combine(Path.GetDirectoryName(dataDirectory)!, Path.GetFileName(dataDirectory) + ".lock");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new InvalidOperationException(
                $"Another process is running the embedded PostgreSQL in {dataDirectory}. Stop it, or point both at one server with ConnectionStrings__Postgres.");
        }
    }

    public void EnsureDatabase(string database)
    {
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (exists.ExecuteScalar() is not null) return;
        using var create = new NpgsqlCommand($"create database \"{database.Replace("\"", "\"\"")}\"", connection);
        create.ExecuteNonQuery();
    }

    public void Stop()
    {
        lock (_lock)
        {
            if (_stopped) return;
            _stopped = true;
        }
        var asRoot = RunsAsRoot;
        TryRun(Path.Combine(_binDirectory, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "30"], asRoot);
        _lock.Dispose();
    }

    public void Dispose() => Stop();

    /// <summary>Lets go of the folder without stopping the server (for tests that killed it themselves).</summary>
    public void Release()
    {
        lock (_lock)
        {
            _stopped = true;
        }
        _lock.Dispose();
    }

    /// <summary>initdb and pg_ctl from PATH, else the newest /usr/lib/postgresql/*/bin.</summary>
    public static string FindBinaries(string? searchPath = null, string versionsRoot = "/usr/lib/postgresql")
    {
        var candidates = new List<string>();
        foreach (var dir in (searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var initdb = Path.Combine(dir, "initdb");
            if (!File.Exists(initdb)) continue;
            // Debian links initdb into PATH; pg_ctl must find the server binary next to the real file.
            var real = new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb;
            candidates.Add(Path.GetDirectoryName(real)!);
        }
        if (Directory.Exists(versionsRoot))
            candidates.AddRange(Directory.GetDirectories(versionsRoot)
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));

        var found = candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")) && File.Exists(Path.Combine(d, "postgres")));
        return found ?? throw new InvalidOperationException(
            "No PostgreSQL server binaries (initdb, pg_ctl, postgres) were found on PATH or in /usr/lib/postgresql/*/bin. " +
            "Install them (Debian: apt-get install postgresql) or set ConnectionStrings__Postgres to an existing server.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Run(string file, string[] args, bool asPostgresUser = false)
    {
        var (code, output) = Execute(file, args, asPostgresUser);
        if (code != 0)
            throw new InvalidOperationException($"'{Path.GetFileName(file)} {string.Join(' ', args)}' failed with exit code {code}: {output.Trim()}");
    }

    private static void TryRun(string file, string[] args, bool asPostgresUser) => Execute(file, args, asPostgresUser);

    private static (int Code, string Output) Execute(string file, string[] args, bool asPostgresUser)
    {
        var start = new ProcessStartInfo(asPostgresUser ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        if (asPostgresUser)
            foreach (var a in new[] { "-u", SystemUser, "--", file }) start.ArgumentList.Add(a);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        // If the server ever inherited our pipes they would stay open after pg_ctl exits: never wait on them for long.
        var output = string.Join('\n',
            stdout.Wait(TimeSpan.FromSeconds(2)) ? stdout.Result : "",
            stderr.Wait(TimeSpan.FromSeconds(2)) ? stderr.Result : "");
        return (process.ExitCode, output);
    }

    /// <summary>Whether this process is root, so the cluster runs as the postgres system user (and must be able to reach its folder).</summary>
    public static bool RunsAsRoot => Environment.UserName == "root" || geteuid() == 0;

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern uint geteuid();
}
