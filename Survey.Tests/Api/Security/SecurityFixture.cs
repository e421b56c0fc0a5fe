using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Security;

/// <summary>The API without a job server: these tests run no jobs, and a job server's connections add up over a full run.</summary>
public sealed class SecurityFixture : ApiFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Storage:RunJobServer"] = "false" };
}
