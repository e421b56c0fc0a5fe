using System.Net;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Survey.Api.Cases.Actions;
using Survey.Api.Cases.Kpis;
using Survey.Api.Storage;

namespace Survey.Tests.Api.Cases;

public class CaseKpisTests(CasesFixture api) : IClassFixture<CasesFixture>
{
    private async Task<IReadOnlyList<DealerCaseKpis>> Kpis(DateTimeOffset from, DateTimeOffset to)
    {
        await using var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession(Tenancy.DefaultTenant);
        return await CaseKpis.ForDealersAsync(session, ["SH-PD-01", "GZ-TH-01", "NO-CASES"], from, to, CancellationToken.None);
    }

    [Fact]
    public async Task Kpis_per_dealer_match_a_hand_computed_example_at_two_points_in_time()
    {
        var world = await api.World();
        var t0 = api.Time.GetUtcNow();
        // SH-PD-01: A contacted after 2 h and resolved after 10 h (both on time); B contacted after 30 h and resolved after 80 h (both late);
        // C never contacted. GZ-TH-01: D contacted after 5 h, never resolved.
        var a = await world.Detractor("C-kpi-a");
        var b = await world.Detractor("C-kpi-b");
        await world.Detractor("C-kpi-c");
        var d = await world.Detractor("C-kpi-d", "GZ-TH-01");

        async Task At(double hours) => api.Time.Advance(t0.AddHours(hours) - api.Time.GetUtcNow());
        async Task Ok(Guid id, string action, object body) => (await world.Act(id, action, body)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await At(2); await Ok(a, "contacts", new ContactRequest("phone", null));
        await At(5); await Ok(d, "contacts", new ContactRequest("phone", null));
        await At(10); await Ok(a, "root-cause", new RootCauseRequest("WAIT")); await Ok(a, "resolve", new ResolveRequest("ok"));
        await At(30); await Ok(b, "contacts", new ContactRequest("sms", null));
        await At(80); await Ok(b, "root-cause", new RootCauseRequest("PRICE")); await Ok(b, "resolve", new ResolveRequest("ok"));

        var late = await Kpis(t0.AddDays(-1), t0.AddHours(80).AddMinutes(1));
        late.Select(k => k.DealerCode).ShouldBe(["GZ-TH-01", "NO-CASES", "SH-PD-01"]);
        // SH: 3 opened; C open and overdue; first contact met 1 of 3 decided (A; B late; C past due); resolution 1 of 3; median of 2 h and 30 h
        late[2].ShouldBe(new DealerCaseKpis("SH-PD-01", 3, 1, 1, 100.0 / 3, 100.0 / 3, 16.0), new KpiComparer());
        // GZ: D open, contacted on time but past its resolution due time
        late[0].ShouldBe(new DealerCaseKpis("GZ-TH-01", 1, 1, 1, 100.0, 0.0, 5.0), new KpiComparer());
        late[1].ShouldBe(new DealerCaseKpis("NO-CASES", 0, 0, 0, null, null, null));

        // as things stood 12 h in: A resolved, B and C open and not yet due; only A's first contact and resolution are decided
        var early = await Kpis(t0.AddDays(-1), t0.AddHours(12));
        early[2].ShouldBe(new DealerCaseKpis("SH-PD-01", 3, 2, 0, 100.0, 100.0, 2.0), new KpiComparer());
        early[0].ShouldBe(new DealerCaseKpis("GZ-TH-01", 1, 1, 0, 100.0, null, 5.0), new KpiComparer());

        // the period counts cases by when they were opened
        (await Kpis(t0.AddHours(1), t0.AddHours(100))).ShouldAllBe(k => k.Opened == 0);
    }

    private sealed class KpiComparer : IEqualityComparer<DealerCaseKpis>
    {
        public bool Equals(DealerCaseKpis? x, DealerCaseKpis? y) =>
            x is not null && y is not null && x.DealerCode == y.DealerCode && x.Opened == y.Opened && x.Open == y.Open && x.Overdue == y.Overdue
            && Close(x.FirstContactSlaMetPercent, y.FirstContactSlaMetPercent) && Close(x.ResolutionSlaMetPercent, y.ResolutionSlaMetPercent)
            && Close(x.MedianHoursToFirstContact, y.MedianHoursToFirstContact);

        private static bool Close(double? a, double? b) => a is null ? b is null : b is not null && Math.Abs(a.Value - b.Value) < 1e-9;
        public int GetHashCode(DealerCaseKpis obj) => obj.DealerCode.GetHashCode();
    }
}
