using System.Text;
using MemScan.Tui.Data;

namespace MemScan.Tui.Views;

/// <summary>
/// The problems pane's text: every problem of the open run (each corrupt table, not just the
/// first), then every other run or sweep in the list that could not be read in full.
/// </summary>
internal static class ProblemsText
{
    public static string Build(RunSession? session, IReadOnlyList<RunEntry> entries)
    {
        var s = new StringBuilder();
        if (session is not null)
        {
            s.AppendLine(session.Problems.Count == 0
                ? $"{session.Entry.Id}: no problems"
                : $"{session.Entry.Id}: {session.Problems.Count} problem(s)");
            foreach (string problem in session.Problems)
                s.AppendLine("  ! " + problem);
        }
        List<RunEntry> others = entries.Where(e => e.IsCorrupt && e.Path != session?.Entry.Path).ToList();
        if (others.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("other runs with problems");
            foreach (RunEntry e in others)
                s.AppendLine($"  ! {(e.IsSweep ? "sweeps/" : "")}{e.Id}: {e.Problem ?? $"{e.SkippedParts} corrupt part(s)"}");
        }
        return s.ToString();
    }
}
