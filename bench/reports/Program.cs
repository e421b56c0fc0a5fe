using System.Diagnostics;
using System.Globalization;
using Survey.Api.Reports;
using Survey.Api.Reports.Layout;
using Survey.Tests.Reports;

// Renders the region reports of a synthetic company (SampleReports.Company: 1,000 dealers in 20 regions by default)
// one after another on one thread, then the same for 250 and 500 dealers, and prints pages/s, dealers/s and memory.
// "sample DIR" writes the sample region report (PDF) that docs/reports shows instead.
var fonts = FontSet.Load(new ReportFontOptions());
var renderer = new ReportRenderer(fonts);

if (args is ["sample", var dir])
{
    Directory.CreateDirectory(dir);
    var region = SampleReports.Company(dealers: 24, regions: 1)[0];
    using (var file = File.Create(Path.Combine(dir, "region-report-en.pdf"))) renderer.RenderRegionReport(region, ReportLanguage.En, file);
    using (var file = File.Create(Path.Combine(dir, "region-report-zh-CN.pdf"))) renderer.RenderRegionReport(region, ReportLanguage.ZhCn, file);
    return;
}

var regions = 20;
var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [250, 500, 1000];
var process = Process.GetCurrentProcess();

// warm-up: JIT, fonts, ScottPlot
Render(SampleReports.Company(dealers: 20, regions: 2, seed: 1), out _, out _);

Console.WriteLine("dealers | regions | pages | bytes (MB) | seconds | pages/s | dealers/s | ms per dealer | peak working set (MB)");
Console.WriteLine("---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---:");
foreach (var dealers in sizes)
{
    var company = SampleReports.Company(dealers, regions);
    GC.Collect();
    var cpu = process.TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    Render(company, out var pages, out var bytes);
    watch.Stop();
    process.Refresh();
    var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{dealers} | {regions} | {pages} | {bytes / 1048576.0:F1} | {watch.Elapsed.TotalSeconds:F1} | {pages / watch.Elapsed.TotalSeconds:F1} | {dealers / watch.Elapsed.TotalSeconds:F1} | {watch.Elapsed.TotalMilliseconds / dealers:F1} | {process.PeakWorkingSet64 / 1048576.0:F0}"));
    Console.Error.WriteLine($"  cpu {cpuSeconds:F1} s for {dealers} dealers");
}

void Render(IReadOnlyList<RegionReport> company, out int pages, out long bytes)
{
    pages = 0;
    bytes = 0;
    foreach (var region in company)
    {
        using var stream = new MemoryStream();
        pages += renderer.RenderRegionReport(region, ReportLanguage.ZhCn, stream).PageCount;
        bytes += stream.Length;
    }
}
