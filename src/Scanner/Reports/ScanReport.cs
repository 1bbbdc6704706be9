using MemScan.Scanner.Cli;
using MemScan.Scanner.Metrics;
using MemScan.Scanner.Results;
using MemScan.Scanner.Scanning;
using Spectre.Console;

namespace MemScan.Scanner.Reports;

/// <summary>The console report of a language-model scan: one table per probe, then where the results are.</summary>
public static class ScanReport
{
    public static void Print(LmScanResult r, bool redact)
    {
        string Secret(string? s) => s is null ? "-" : Markup.Escape(redact ? Redaction.Mask(s) : s);
        var severityOf = r.Findings.ToLookup(f => (f.Probe, f.Subject), f => f.Severity);

        if (r.Exposure.Count > 0)
        {
            var table = new Table().Title("[bold]Canary exposure[/]")
                .AddColumn("canary").AddColumn("secret").AddColumn(new TableColumn("ins").RightAligned())
                .AddColumn(new TableColumn("rank").RightAligned()).AddColumn(new TableColumn("|R|").RightAligned())
                .AddColumn(new TableColumn("bits").RightAligned()).AddColumn(new TableColumn("extrap").RightAligned())
                .AddColumn(new TableColumn("max").RightAligned()).AddColumn("severity");
            foreach (var e in r.Exposure)
                table.AddRow(Markup.Escape(e.CanaryId), Secret(e.Secret), e.Insertions < 0 ? "?" : e.Insertions.ToString(),
                    // "~": an extrapolated rank is an estimate from the fit, not a count
                    (e.Method == CanaryExposure.Extrapolated ? "~" : "") + e.Rank.ToString("N0"), Size(e.SpaceSize), e.ExposureBits.ToString("F1"),
                    e.ExtrapolatedExposureBits?.ToString("F1") ?? "-", ExposureMath.Max(e.SpaceSize).ToString("F1"),
                    SeverityMarkup.Label(severityOf[("exposure", e.CanaryId)].FirstOrDefault()));
            AnsiConsole.Write(table);
        }
        if (r.Extraction.Count > 0)
        {
            var table = new Table().Title("[bold]Shortest-path extraction[/]")
                .AddColumn("canary").AddColumn("top completion").AddColumn(new TableColumn("secret came out").RightAligned())
                .AddColumn(new TableColumn("rows needed").RightAligned()).AddColumn(new TableColumn("brute force").RightAligned())
                .AddColumn("severity");
            foreach (var x in r.Extraction)
                table.AddRow(Markup.Escape(x.Canary.Id), Secret(x.Rows.FirstOrDefault()?.Candidate),
                    !x.Canary.HasSecret ? "unknown" : x.SecretOrder is long o ? $"#{o:N0}" : "not reached",
                    // the attack's cost (batch-independent); past the budget, the rows that were run
                    x.RowsNeeded is long n && (!x.Canary.HasSecret || x.SecretOrder is not null) ? n.ToString("N0") : $">{x.Queries:N0}",
                    Size(x.Canary.Space.Size),
                    SeverityMarkup.Label(severityOf[("extraction", x.Canary.Id)].FirstOrDefault()));
            AnsiConsole.Write(table);
        }
        if (r.Discoverable.Count > 0)
        {
            var table = new Table().Title("[bold]Discoverable memorization[/]")
                .AddColumn(new TableColumn("prompt k").RightAligned()).AddColumn(new TableColumn("samples").RightAligned())
                .AddColumn(new TableColumn("exact").RightAligned()).AddColumn(new TableColumn("rate").RightAligned())
                .AddColumn(new TableColumn("mean matched").RightAligned());
            foreach (var d in r.Discoverable)
                table.AddRow(d.PrefixTokens.ToString(), d.Samples.ToString(), d.Exact.ToString(), d.Rate.ToString("P1"), d.MeanMatched.ToString("F1"));
            AnsiConsole.Write(table);
        }
        if (r.Mia.Count > 0)
        {
            // narrow enough for 80 columns; advantage and TPR at 0 FPR are in mia.parquet
            var table = new Table().Title("[bold]Membership inference[/]")
                .AddColumn("attack").AddColumn(new TableColumn("AUC").RightAligned()).AddColumn(new TableColumn("95% CI").RightAligned())
                .AddColumn(new TableColumn("TPR@1%").RightAligned()).AddColumn(new TableColumn("TPR@0.1%").RightAligned())
                .AddColumn("severity");
            foreach (var m in r.Mia)
                table.AddRow(Markup.Escape(m.Attack), m.Auc.ToString("F3"), $"{m.AucLow:F2}-{m.AucHigh:F2}",
                    $"{100 * m.TprAt1PctFpr:F1}%", $"{100 * m.TprAt0Point1PctFpr:F1}%",
                    SeverityMarkup.Label(severityOf[("mia", m.Attack)].FirstOrDefault()));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"mia: {r.Mia[0].Members:N0} members, {r.Mia[0].NonMembers:N0} non-members; higher score = member");
        }
        if (r.GreedySecret.Count > 0)
        {
            var table = new Table().Title("[bold]Greedy completion of the secrets[/]")
                .AddColumn("canary").AddColumn("prompt").AddColumn("greedy").AddColumn("secret")
                .AddColumn(new TableColumn("matched").RightAligned()).AddColumn("severity");
            foreach (var g in r.GreedySecret)
                table.AddRow(Markup.Escape(g.CanaryId), Markup.Escape(g.Prompt.Replace("\n", "\\n")), Secret(g.Generated), Secret(g.Secret),
                    $"{g.MatchedChars}/{g.Secret.Length}", SeverityMarkup.Label(severityOf[("greedy_secret", g.CanaryId)].FirstOrDefault()));
            AnsiConsole.Write(table);
        }
        AnsiConsole.MarkupLine($"results: [bold]{Markup.Escape(r.Run.Path)}[/] ({r.Queries:N0} model rows in {r.Seconds:F1}s)");
    }

    static string Size(double size) => size < 1e5 ? size.ToString("N0") : size.ToString("0.##e0");

}
