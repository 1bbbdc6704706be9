using System.Globalization;
using System.Text.RegularExpressions;

namespace MemScan.Bench.Gpt124m;

/// <summary>
/// One row of the gpt124m table: a probe run through the real CLI in a child process, and how its
/// work is counted. <see cref="TokensPerRow"/> and <see cref="Context"/> turn model rows into matmul
/// FLOPs (<see cref="Gpt124mBench.FlopsPerToken"/>): a tree or decoding row is one token seeing
/// <see cref="Context"/> earlier positions; a scoring row is a whole sample.
/// </summary>
public sealed record Gpt124mProbe(string Name, string Mode, string[] Args, double TokensPerRow, int Context, string Counting)
{
    static readonly Regex RowsLine = new(@"\(([\d,]+)\s+model\s+rows\s+in\s+([\d.]+)s\)", RegexOptions.Compiled); // the console may wrap the line

    /// <summary>Model rows and probe seconds from the scan's last line "(N model rows in Xs)"; null for a sweep.</summary>
    public static (long Rows, double Seconds)? ParseRows(string output)
    {
        var m = RowsLine.Matches(output).LastOrDefault();
        return m is null ? null : (long.Parse(m.Groups[1].Value.Replace(",", ""), CultureInfo.InvariantCulture),
            double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>Rank and exposure bits of canary <paramref name="canaryId"/> from the scan's exposure table (cells split on │).</summary>
    public static (string Rank, string Bits)? ParseExposure(string output, string canaryId)
    {
        string[]? found = null;
        foreach (var line in output.Split('\n'))
        {
            var cells = line.Split('│').Select(c => c.Trim()).ToArray();
            // │ canary │ secret │ ins │ rank │ |R| │ bits │ extrap │ max │ severity │
            if (cells.Length < 8) { if (found is not null) break; continue; }
            if (found is null) { if (cells[1] == canaryId) found = cells; continue; }
            // An 80-column table wraps a long cell onto lines whose canary cell is empty ("~11,758,59" then "7").
            if (cells[1] != "") break;
            for (int c = 0; c < Math.Min(found.Length, cells.Length); c++) found[c] += cells[c];
        }
        return found is null ? null : (found[4], found[6]);
    }
}
