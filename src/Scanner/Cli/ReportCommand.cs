using System.CommandLine;
using System.Globalization;
using MemScan.Scanner.Reports;
using MemScan.Scanner.Results;
using Spectre.Console;

namespace MemScan.Scanner.Cli;

/// <summary>
/// <c>memscan report RUN_DIR</c>: the run's findings, most severe first, with the analysts' triage
/// decisions from <c>triage.parquet</c>. Secrets are never printed: reports end up in tickets.
/// </summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var runDir = new Argument<DirectoryInfo>("RUN_DIR") { Description = "a run folder (runs/<run-id>) holding run.json and findings.parquet" };
        var minSeverity = new Option<string?>("--min-severity") { Description = "show only findings at least this severe: info, low, medium, high or critical" };
        var untriaged = new Option<bool>("--untriaged") { Description = "show only findings nobody has triaged yet" };

        var command = new Command("report", "Print a run's findings with their triage status (confirmed, false positive, accepted risk)")
        {
            runDir, minSeverity, untriaged,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            string? min = parsed.GetValue(minSeverity);
            Severity floor = min is null ? Severity.Info : SeverityNames.Parse(min);
            RunFolder run = RunFolder.Open(parsed.GetValue(runDir)!.FullName);
            IReadOnlyList<Finding> findings = await FindingsTable.ReadAsync(run.FindingsPath, cancellationToken);
            IReadOnlyDictionary<string, TriageRecord> triage =
                await TriageTable.ReadLatestAsync(TriageTable.PathIn(run.Path), cancellationToken);
            Render(run, findings, triage, floor, parsed.GetValue(untriaged));
            return 0;
        });
        return command;
    }

    private static void Render(RunFolder run, IReadOnlyList<Finding> findings,
        IReadOnlyDictionary<string, TriageRecord> triage, Severity floor, bool onlyUntriaged)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"run {Markup.Escape(run.RunId)}")
            .AddColumn("severity").AddColumn("probe").AddColumn("subject")
            .AddColumn(new TableColumn("score").RightAligned()).AddColumn("triage").AddColumn("note");
        int shown = 0, triaged = 0;
        foreach (Finding f in findings.OrderByDescending(f => f.Severity).ThenByDescending(f => f.Score))
        {
            triage.TryGetValue(TriageRecord.KeyOf(f), out TriageRecord? decision);
            if (decision is not null)
                triaged++;
            if (f.Severity < floor || (onlyUntriaged && decision is not null))
                continue;
            shown++;
            string score = f.Score.ToString("0.###", CultureInfo.InvariantCulture) +
                (f.MaxScore is { } max ? "/" + max.ToString("0.###", CultureInfo.InvariantCulture) : "") +
                " " + f.ScoreName;
            table.AddRow(
                new Markup(SeverityMarkup.Label(f.Severity)),
                new Text(f.Probe), new Text(f.Subject), new Text(score),
                new Text(decision is null ? "untriaged" : $"{decision.Status} ({decision.Analyst})"),
                new Text(decision?.Note ?? ""));
        }
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine(
            $"{shown} of {findings.Count} findings shown; {triaged} triaged, {findings.Count - triaged} untriaged");
    }
}
