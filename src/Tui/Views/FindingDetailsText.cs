using System.Globalization;
using System.Text;
using MemScan.Scanner.Results;

namespace MemScan.Tui.Views;

/// <summary>
/// The details pane's text for one finding. The secret is masked unless the analyst toggles it:
/// a terminal can be shoulder-surfed, screen-shared or captured into a ticket.
/// </summary>
internal static class FindingDetailsText
{
    public const string Masked = MemScan.Scanner.Cli.Redaction.Hidden + " (press x to reveal)";

    public static string Build(Finding finding, TriageRecord? triage, CanaryExposure? canary, bool showSecret)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var s = new StringBuilder();
        s.AppendLine($"{finding.Severity.ToName().ToUpperInvariant()}  {finding.Probe} / {finding.Subject}");
        s.AppendLine($"score     {Number(finding.Score)}" +
            (finding.MaxScore is { } max ? $" of {Number(max)} max" : "") + $"  ({finding.ScoreName})");
        if (finding.MaxScore is { } m && m > 0 && double.IsFinite(finding.Score))
            s.AppendLine($"          {Meter(finding.Score / m, 20)} {finding.Score / m:P0}");
        if (finding.Rank is { } rank)
            s.AppendLine($"rank      {rank.ToString("N0", CultureInfo.InvariantCulture)}");
        if (finding.Queries is { } queries)
            s.AppendLine($"queries   {queries.ToString("N0", CultureInfo.InvariantCulture)}");
        s.AppendLine($"secret    {(finding.Secret is null ? "(none recovered)" : showSecret ? finding.Secret : Masked)}");
        s.AppendLine($"found     {finding.CreatedUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC");
        s.AppendLine();
        s.AppendLine("evidence");
        // evidence can quote the secret (an extracted completion, a generated continuation): masked
        // as fully as the secret line, or the first character and the length would show there
        string evidence = showSecret ? finding.Evidence : MemScan.Scanner.Cli.Redaction.HideIn(finding.Evidence, finding.Secret);
        s.AppendLine("  " + (evidence.Length == 0 ? "(none)" : evidence));
        if (canary is not null)
        {
            s.AppendLine();
            s.AppendLine($"canary {canary.CanaryId}");
            s.AppendLine($"  template    {canary.Template}");
            s.AppendLine($"  inserted    {canary.Insertions} times");
            s.AppendLine($"  rank        {canary.Rank.ToString("N0", CultureInfo.InvariantCulture)} of {Number(canary.SpaceSize)} candidates ({canary.Method})");
            s.AppendLine($"  exposure    {Number(canary.ExposureBits)} of {Number(canary.Log2Space)} bits");
        }
        s.AppendLine();
        s.AppendLine(triage is null
            ? "triage    untriaged (c confirm, f false positive, a accepted risk)"
            : $"triage    {triage.Status} by {triage.Analyst} at {triage.UpdatedUtc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC");
        if (triage is { Note.Length: > 0 })
            s.AppendLine($"note      {triage.Note}");
        return s.ToString();
    }

    private static string Number(double v) =>
        Math.Abs(v) >= 1e7 ? v.ToString("0.###e0", CultureInfo.InvariantCulture) : v.ToString("#,0.###", CultureInfo.InvariantCulture);

    private static string Meter(double fraction, int width)
    {
        int filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * width);
        return "[" + new string('#', filled) + new string('.', width - filled) + "]";
    }
}
