namespace MemScan.Bench;

/// <summary>One measured figure: a rate in the section's unit, and what it cost.</summary>
public sealed record Measured(string Name, double Rate, string Note = "");

/// <summary>Prints a section as a table whose ratio columns compare every row with chosen baseline rows.</summary>
public static class Table
{
    public static void Print(TextWriter w, string title, string unit, IReadOnlyList<Measured> rows, params (string Header, int Row)[] baselines)
    {
        w.WriteLine();
        w.WriteLine(title);
        int nameWidth = Math.Max(20, rows.Max(r => r.Name.Length));
        w.Write($"  {"method".PadRight(nameWidth)} {unit,16}");
        foreach (var (header, _) in baselines) w.Write($" {header,12}");
        w.WriteLine("  note");
        foreach (var r in rows)
        {
            w.Write($"  {r.Name.PadRight(nameWidth)} {Format(r.Rate),16}");
            foreach (var (_, row) in baselines)
                w.Write($" {(row < rows.Count && rows[row].Rate > 0 ? $"{r.Rate / rows[row].Rate:F1}x" : "-"),12}");
            w.WriteLine($"  {r.Note}");
        }
    }

    static string Format(double rate) => rate >= 100 ? rate.ToString("N0") : rate.ToString("N1");
}
