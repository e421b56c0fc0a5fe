using Survey.Api.Reports;

namespace Survey.Tests.Reports;

/// <summary>
/// Report models made up for tests and for the benchmark (bench/reports links this file): a seeded synthetic company with
/// Chinese and English dealer names, trends, drivers, masked comments and cases. The same seed gives the same company.
/// </summary>
public static class SampleReports
{
    public static readonly ReportPeriod March2026 = new("2026-03", new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31));

    private static readonly string[] Cities = ["上海", "北京", "广州", "深圳", "杭州", "南京", "苏州", "成都", "武汉", "西安", "重庆", "天津", "长沙", "郑州", "青岛", "宁波", "无锡", "厦门", "福州", "合肥"];
    private static readonly string[] Districts = ["浦东", "朝阳", "天河", "南山", "西湖", "鼓楼", "高新", "江北", "开发区", "中山", "滨江", "城东", "城西", "新区"];
    private static readonly string[] English = ["Pacific Motors", "Riverside Auto", "Golden Gate Cars", "Harbour Motor Group", "Summit Automotive", "Lakeside Service Centre"];
    private static readonly string[] Regions = ["华东一区 East 1", "华东二区 East 2", "华北区 North", "华南区 South", "西南区 Southwest", "华中区 Central", "西北区 Northwest", "东北区 Northeast"];
    private static readonly string[] DriversEn = ["Waiting time", "Advisor courtesy", "Explanation of work", "Price transparency", "Fixed right first time", "Vehicle cleanliness", "Handover on time"];
    private static readonly string[] DriversZh = ["等待时间", "顾问礼貌", "维修说明", "价格透明", "一次修复", "车辆清洁", "准时交车"];
    private static readonly string[] Negative =
    [
        "等了三个小时才交车，顾问王**（电话 138****5678）一直没有回复。",
        "Waited 3 hours, nobody called back. My email is z***@example.com.",
        "价格比报价高了很多，收费不透明。",
        "The car came back dirty and the rattle is still there.",
    ];
    private static readonly string[] Positive =
    [
        "服务顾问态度很好，讲解清楚，交车准时。",
        "Quick service and a friendly advisor, thank you.",
        "休息区很舒适，整体体验不错。",
        "Everything was explained clearly before the work started.",
    ];

    public static IReadOnlyList<string> Periods(ReportPeriod period, int count = 12) =>
        Enumerable.Range(0, count).Select(i => period.Start.AddMonths(i - count + 1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)).ToList();

    /// <summary>A synthetic company: <paramref name="dealers"/> dealers spread over <paramref name="regions"/> regions.</summary>
    public static IReadOnlyList<RegionReport> Company(int dealers, int regions, int seed = 7, bool chineseDrivers = true, ReportPeriod? period = null)
    {
        var p = period ?? March2026;
        var random = new Random(seed);
        var cards = Enumerable.Range(0, dealers).Select(i => (Region: i % regions, Card: Dealer(random, i, p, chineseDrivers))).ToList();
        var national = Rankings(cards.Select(c => c.Card).ToList());
        var result = new List<RegionReport>();
        for (var r = 0; r < regions; r++)
        {
            var name = Regions[r % Regions.Length] + (r >= Regions.Length ? $" {r / Regions.Length + 1}" : "");
            var members = cards.Where(c => c.Region == r).Select(c => c.Card with { Region = name, NationalRank = national[c.Card.Dealer.Code] }).ToList();
            var regional = Rankings(members);
            members = members.Select(c => c with { RegionRank = regional[c.Dealer.Code] }).ToList();
            var averages = Periods(p).Select((label, i) => members.Select(m => m.NpsTrend[i].Value).OfType<double>().DefaultIfEmpty(0).Average()).ToList();
            members = members.Select(c => c with { NpsTrend = c.NpsTrend.Select((t, i) => t with { RegionAverage = Math.Round(averages[i], 1) }).ToList() }).ToList();
            var nps = members.Select(m => m.Kpis.Nps.Value).OfType<double>().DefaultIfEmpty(0).Average();
            result.Add(new RegionReport("Aurora Motors 极光汽车", name, p,
                new KpiSet(
                    new Kpi(Math.Round(members.Select(m => m.Kpis.ExperienceIndex.Value).OfType<double>().DefaultIfEmpty(0).Average(), 1), 0.8, Sample: members.Sum(m => m.Split.Total)),
                    new Kpi(Math.Round(nps, 1), 1.5, MarginOfError: 2.4, Sample: members.Sum(m => m.Split.Total)),
                    new Kpi(84.2, -0.6), new Kpi(5.71, 0.05), new Kpi(members.Sum(m => m.Split.Total), 35), new Kpi(24.8, 0.9), new Kpi(91, 2)),
                Periods(p).Select((label, i) => new TrendPoint(label, Math.Round(averages[i], 1), Math.Round(averages[i] - 3 + (i % 3), 1))).ToList(),
                members));
        }
        return result;
    }

    /// <summary>Rank by experience index, best first; equal values share a position; suppressed dealers come last.</summary>
    private static Dictionary<string, Rank> Rankings(IReadOnlyList<DealerScorecard> cards)
    {
        var ordered = cards.OrderBy(c => c.Kpis.ExperienceIndex.Value is null).ThenByDescending(c => c.Kpis.ExperienceIndex.Value).ToList();
        var ranks = new Dictionary<string, Rank>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var value = ordered[i].Kpis.ExperienceIndex.Value;
            var position = i + 1;
            while (position > 1 && ordered[position - 2].Kpis.ExperienceIndex.Value == value) position--;
            var tied = ordered.Count(c => c.Kpis.ExperienceIndex.Value == value) > 1;
            var previous = Math.Clamp(position + (ordered[i].Dealer.Code.Sum(c => c) % 8) - 3, 1, ordered.Count);
            ranks[ordered[i].Dealer.Code] = new Rank(position, ordered.Count, tied, i % 11 == 5 ? null : previous);
        }
        return ranks;
    }

    public static DealerScorecard Dealer(Random random, int i, ReportPeriod period, bool chineseDrivers)
    {
        var code = $"D{i + 1:0000}";
        var name = i % 4 == 3
            ? $"{English[i % English.Length]} {Cities[i % Cities.Length]}"
            : $"{Cities[i % Cities.Length]}{Districts[(i / Cities.Length) % Districts.Length]}极光汽车4S店";
        var small = i % 17 == 9; // a dealer below the minimum sample: its figures are suppressed
        var responses = small ? 12 : 60 + random.Next(180);
        var promoters = (int)(responses * (0.45 + random.NextDouble() * 0.3));
        var detractors = (int)(responses * (0.05 + random.NextDouble() * 0.15));
        var passives = responses - promoters - detractors;
        var nps = Math.Round(100.0 * (promoters - detractors) / responses, 1);
        var index = Math.Round(60 + random.NextDouble() * 30, 1);
        var trend = Periods(period).Select((label, k) => new TrendPoint(label,
            small && k % 4 == 1 ? null : Math.Round(nps - 8 + random.NextDouble() * 16 - (11 - k) * 0.4, 1), null)).ToList();
        var drivers = (chineseDrivers ? DriversZh : DriversEn).Select(d => new DriverGap(d, Math.Round(55 + random.NextDouble() * 40, 1), Math.Round(70 + random.NextDouble() * 10, 1))).ToList();
        var verbatims = Enumerable.Range(0, 3 + random.Next(4)).Select(k =>
        {
            var negative = random.NextDouble() < 0.45;
            var pool = negative ? Negative : Positive;
            return new Verbatim(period.End.AddDays(-random.Next(28)), negative ? random.Next(0, 7) : random.Next(9, 11), pool[random.Next(pool.Length)], negative);
        }).ToList();
        var overdue = random.Next(3);
        var cases = Enumerable.Range(0, overdue + random.Next(3)).Select(k => new CaseItem(
            $"C-{i + 1:0000}-{k + 1:00}", k % 2 == 0 ? "客户投诉等待时间过长 Long wait at service" : "Price higher than quoted 报价不符",
            period.End.AddDays(-10 - k), period.End.AddDays(-3 + 2 * k), k < overdue)).ToList();
        var kpis = small
            ? new KpiSet(Kpi.Insufficient(responses), Kpi.Insufficient(responses), Kpi.Insufficient(responses), Kpi.Insufficient(responses),
                new Kpi(responses, -4), new Kpi(6.5, -1.2), new Kpi(100, 0))
            : new KpiSet(
                new Kpi(index, Math.Round(random.NextDouble() * 6 - 3, 1), Sample: responses),
                new Kpi(nps, Math.Round(random.NextDouble() * 12 - 6, 1), MarginOfError: Math.Round(160 / Math.Sqrt(responses), 1), Sample: responses),
                new Kpi(Math.Round(75 + random.NextDouble() * 20, 1), Math.Round(random.NextDouble() * 4 - 2, 1)),
                new Kpi(Math.Round(5 + random.NextDouble() * 1.6, 2), Math.Round(random.NextDouble() * 0.4 - 0.2, 2)),
                new Kpi(responses, random.Next(-20, 21)),
                new Kpi(Math.Round(15 + random.NextDouble() * 20, 1), Math.Round(random.NextDouble() * 4 - 2, 1)),
                new Kpi(Math.Round(70 + random.NextDouble() * 30, 0), random.Next(-5, 6)));
        return new DealerScorecard("Aurora Motors 极光汽车", new DealerRef(code, name), "", period, kpis, trend,
            new NpsSplit(promoters, passives, detractors), drivers, new Rank(1, 1), new Rank(1, 1), verbatims,
            new CaseSummary(cases.Count, overdue, cases));
    }
}
