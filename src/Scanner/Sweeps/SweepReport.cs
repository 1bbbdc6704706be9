using System.Globalization;
using MemScan.Scanner.Cli;
using Spectre.Console;

namespace MemScan.Scanner.Sweeps;

/// <summary>The console report of <c>memscan sweep merge</c>: the top confirmed samples, then each metric's precision.</summary>
public static class SweepReport
{
    public static void Print(SweepMergeResult r, int rows = 10, bool redact = false)
    {
        var c = CultureInfo.InvariantCulture;
        int unique = r.Ranked.Count(x => x.IsDuplicateOf is null);
        string skipped = r.Skipped.Count > 0 ? FormattableString.Invariant($", {r.Skipped.Count} corrupt part(s) skipped") : "";
        AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
            $"{r.Ranked.Count:N0} of {r.ExpectedSamples:N0} samples from {r.PartsRead} part(s){skipped}; {r.Duplicates:N0} near-duplicates, {unique:N0} distinct")));
        AnsiConsole.MarkupLine(Markup.Escape("confirmed against: " + (r.Corpus ?? "no training text") +
            (r.Canaries > 0 ? string.Create(c, $"; {r.Canaries} canary secret(s)") : "")));

        var confirmed = r.Ranked.Where(x => x.Confirmed && x.IsDuplicateOf is null).ToList();
        if (confirmed.Count > 0)
        {
            var table = new Table().Title(string.Create(c, $"[bold]Confirmed extractions ({confirmed.Count:N0} distinct)[/]"))
                .AddColumn(new TableColumn("sample").RightAligned()).AddColumn("by").AddColumn(new TableColumn("match").RightAligned())
                .AddColumn(new TableColumn("ppl#").RightAligned()).AddColumn(new TableColumn("zlib#").RightAligned())
                .AddColumn(new TableColumn("lower#").RightAligned()).AddColumn(new TableColumn("window#").RightAligned())
                .AddColumn(new TableColumn("ref#").RightAligned()).AddColumn("extracted text");
            foreach (var x in confirmed.Take(rows))
                table.AddRow(x.SampleIndex.ToString(c), x.ConfirmedBy == "canary" ? $"[bold red]{Markup.Escape(x.CanaryId ?? "canary")}[/]" : "corpus",
                    x.MatchLength > 0 ? x.MatchLength.ToString(c) : "-",
                    Rank(x.RankLogPerplexity), Rank(x.RankZlibRatio), Rank(x.RankLowercaseRatio), Rank(x.RankWindowMinLogPerplexity), Rank(x.RankReferenceRatio),
                    Markup.Escape(Excerpt(x.MatchedText ?? x.Text, redact && x.ConfirmedBy == "canary")));
            AnsiConsole.Write(table);
        }
        else if (r.Confirms)
        {
            AnsiConsole.MarkupLine("no sample was confirmed as training data");
        }

        if (r.Precision.Count > 0)
        {
            var ks = r.Precision.Select(p => p.TopK).Distinct().Order().ToList();
            var table = new Table().Title("[bold]Precision of each metric (confirmed among its top k distinct samples)[/]").AddColumn("metric");
            foreach (int k in ks) table.AddColumn(new TableColumn($"top {k}").RightAligned());
            foreach (var metric in r.Precision.GroupBy(p => p.Metric))
                table.AddRow([Markup.Escape(metric.Key), .. ks.Select(k => metric.FirstOrDefault(p => p.TopK == k) is { } p
                    ? string.Create(c, $"{p.ConfirmedInTopK}/{p.Samples} ({(double.IsNaN(p.Precision) ? "-" : p.Precision.ToString("P0", c))})")
                    : "-")]);
            AnsiConsole.Write(table);
        }
        AnsiConsole.MarkupLine($"results: [bold]{Markup.Escape(Path.Combine(r.SweepDir, SweepMergeResult.RankedFile))}[/], " +
                               $"{SweepMergeResult.PrecisionFile}, {Results.FindingsTable.FileName} ({r.Findings.Count} findings)");
    }

    static string Rank(int? rank) => rank?.ToString(CultureInfo.InvariantCulture) ?? "-";

    static string Excerpt(string text, bool redact)
    {
        string shown = (redact ? Redaction.Mask(text) : text).Replace("\r", "").Replace("\n", "⏎");
        return shown.Length > 70 ? shown[..70] + "…" : shown;
    }
}
