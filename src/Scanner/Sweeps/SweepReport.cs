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
        if (r.Partial)
            AnsiConsole.MarkupLine("[bold yellow]PARTIAL MERGE[/] " + Markup.Escape(r.Completeness!.Describe() + " (--allow-partial; recorded in merge.json)"));
        AnsiConsole.MarkupLine(Markup.Escape("confirmed against: " + (r.Corpus ?? "no training text") +
            (r.Canaries > 0 ? string.Create(c, $"; {r.Canaries} canary secret(s)") : "")));

        // canaries first (critical), then by how early any metric ranks the sample
        var confirmed = r.Ranked.Where(x => x.Confirmed && x.IsDuplicateOf is null)
            .OrderBy(x => x.ConfirmedBy == "canary" ? 0 : 1).ThenBy(x => x.BestRank ?? int.MaxValue).ThenBy(x => x.SampleIndex).ToList();
        bool reference = r.Ranked.Any(x => x.RankReferenceRatio is not null);
        if (confirmed.Count > 0)
        {
            // one line per sample, narrow enough for an 80-column log: ranks share a column
            var table = new Table().Title(FormattableString.Invariant($"[bold]Confirmed extractions ({confirmed.Count:N0} distinct)[/]"))
                .AddColumn(new TableColumn("sample").RightAligned().NoWrap()).AddColumn(new TableColumn("by").NoWrap())
                .AddColumn(new TableColumn("chars").RightAligned().NoWrap())
                .AddColumn(new TableColumn(reference ? "ppl/zlib/low/win/ref #" : "ppl/zlib/low/win #").RightAligned().NoWrap())
                .AddColumn(new TableColumn("extracted text").NoWrap());
            foreach (var x in confirmed.Take(rows))
            {
                int?[] ranks = reference
                    ? [x.RankLogPerplexity, x.RankZlibRatio, x.RankLowercaseRatio, x.RankWindowMinLogPerplexity, x.RankReferenceRatio]
                    : [x.RankLogPerplexity, x.RankZlibRatio, x.RankLowercaseRatio, x.RankWindowMinLogPerplexity];
                table.AddRow(x.SampleIndex.ToString(c), x.ConfirmedBy == "canary" ? $"[bold red]{Markup.Escape(x.CanaryId ?? "canary")}[/]" : "corpus",
                    x.MatchLength > 0 ? x.MatchLength.ToString(c) : "-", string.Join("/", ranks.Select(Rank)),
                    Markup.Escape(Excerpt(x.MatchedText ?? x.Text, redact)));
            }
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
        return shown.Length > 26 ? shown[..26] + "…" : shown;
    }
}
