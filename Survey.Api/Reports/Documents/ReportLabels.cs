namespace Survey.Api.Reports.Documents;

/// <summary>Every fixed text of the reports, in English and Simplified Chinese.</summary>
public sealed record ReportLabels(
    string Locale,
    string DealerScorecard, string RegionReport, string Page, string InsufficientData,
    string ExperienceIndex, string Nps, string Csat, string Ces, string Responses, string ResponseRate, string CaseSlaMet,
    string RankInRegion, string National, string NationalRank, string Tied, string VsPreviousPeriod,
    string NpsTrend, string ThisDealer, string RegionAverage, string NationalAverage, string ThisRegion,
    string NpsSplit, string Promoters, string Passives, string Detractors,
    string DriverGaps, string Driver, string Dealer, string Region, string Gap,
    string Verbatims, string Date, string Score, string Comment, string NoVerbatims,
    string Cases, string OpenCases, string OverdueCases, string Reference, string Subject, string Opened, string Due, string Status,
    string Open, string Overdue, string NoCases,
    string LeagueTable, string RankColumn, string Movement, string Code, string New, string TrendsByDealer,
    string Summary, string Dealers, string Confidential, string Sample, string Top2Box, string Scale17, string Points)
{
    public static ReportLabels For(ReportLanguage language) => language == ReportLanguage.ZhCn ? ZhCn : En;

    public static readonly ReportLabels En = new(
        "en",
        "Dealer scorecard", "Region report", "Page {0} / {1}", "insufficient data",
        "Experience index", "NPS", "CSAT", "CES", "Responses", "Response rate", "Case SLA met",
        "Rank in region", "National", "National rank", "tied", "vs previous period",
        "NPS trend, last 12 periods", "This dealer", "Region average", "National average", "This region",
        "Promoters, passives, detractors", "Promoters", "Passives", "Detractors",
        "Drivers against the region", "Driver", "Dealer", "Region", "Gap",
        "Latest comments", "Date", "Score", "Comment", "No comments in this period.",
        "Cases", "open", "overdue", "Case", "Subject", "Opened", "Due", "Status",
        "Open", "Overdue", "No open cases.",
        "Dealer league table", "#", "Move", "Code", "new", "NPS trend by dealer",
        "Summary", "Dealers", "Confidential", "n", "top-2-box", "scale 1-7", "pt");

    public static readonly ReportLabels ZhCn = new(
        "zh-CN",
        "经销商计分卡", "区域报告", "第 {0} / {1} 页", "数据不足",
        "体验指数", "净推荐值", "满意度", "费力度", "回复数", "回复率", "工单按时处理率",
        "区域排名", "全国", "全国排名", "并列", "较上期",
        "净推荐值趋势（近12期）", "本店", "区域平均", "全国平均", "本区域",
        "推荐者、中立者、贬损者", "推荐者", "中立者", "贬损者",
        "驱动因素与区域对比", "驱动因素", "本店", "区域", "差距",
        "最新评论", "日期", "评分", "评论", "本期无评论。",
        "工单", "未结", "逾期", "工单号", "主题", "创建", "截止", "状态",
        "处理中", "逾期", "无未结工单。",
        "经销商排名", "排名", "变动", "代码", "新", "各经销商净推荐值趋势",
        "概览", "经销商", "内部资料", "样本", "前两项占比", "1-7分", "");
}
