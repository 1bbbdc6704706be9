using System.Globalization;
using System.Text;
using MemScan.Tui.Data;

namespace MemScan.Tui.Plots;

/// <summary>
/// Member vs non-member loss distributions side by side, one text line per loss bin: members as
/// '#' on the left, non-members as 'o' on the right. A model that memorizes shows members piled
/// up at low loss where non-members are sparse; that gap is what membership inference exploits.
/// </summary>
internal static class TextLossComparison
{
    public const char MemberBar = '#';
    public const char NonMemberBar = 'o';

    /// <param name="width">Total columns (at least 30).</param>
    /// <param name="bins">Number of loss bins, one line each (at least 2).</param>
    public static IReadOnlyList<string> Render(IReadOnlyList<MemberLoss> losses, int width, int bins, string title = "Loss: members vs non-members")
    {
        ArgumentNullException.ThrowIfNull(losses);
        width = Math.Max(width, 30);
        bins = Math.Max(bins, 2);
        double[] members = losses.Where(l => l.IsMember).Select(l => l.Loss).ToArray();
        double[] others = losses.Where(l => !l.IsMember).Select(l => l.Loss).ToArray();
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"{title} ({MemberBar} members n={members.Length}, mean {Mean(members):0.###}; {NonMemberBar} non-members n={others.Length}, mean {Mean(others):0.###})"),
        };
        if (members.Length + others.Length == 0)
        {
            lines.Add("  (no data)");
            return lines;
        }
        double[] all = members.Concat(others).Where(double.IsFinite).ToArray();
        double lo = all.Length == 0 ? 0 : all.Min(), hi = all.Length == 0 ? 1 : all.Max();
        Bins m = Bins.Of(members, bins, lo, hi), o = Bins.Of(others, bins, lo, hi);
        int peak = Math.Max(1, Math.Max(m.Counts.Max(), o.Counts.Max()));
        string[] labels = Enumerable.Range(0, bins)
            .Select(i => TextHistogram.Format(m.Min + i * m.Width).PadLeft(7)).ToArray();
        int countWidth = peak.ToString(CultureInfo.InvariantCulture).Length;
        int barWidth = Math.Max(1, (width - 7 - 3 - 2 * (countWidth + 1) - 3) / 2);
        for (int i = 0; i < bins; i++)
        {
            var line = new StringBuilder(labels[i]).Append(" | ");
            line.Append(Bar(MemberBar, m.Counts[i], peak, barWidth)).Append(' ')
                .Append(m.Counts[i].ToString(CultureInfo.InvariantCulture).PadLeft(countWidth)).Append(" | ");
            line.Append(Bar(NonMemberBar, o.Counts[i], peak, barWidth)).Append(' ')
                .Append(o.Counts[i].ToString(CultureInfo.InvariantCulture).PadLeft(countWidth));
            lines.Add(line.ToString());
        }
        lines.Add("   loss   (bin start)");
        return lines;
    }

    private static string Bar(char c, int count, int peak, int width)
    {
        int n = count == 0 ? 0 : Math.Max(1, (int)Math.Round((double)count / peak * width));
        return new string(c, n).PadRight(width);
    }

    private static double Mean(double[] v)
    {
        double[] finite = v.Where(double.IsFinite).ToArray();
        return finite.Length == 0 ? double.NaN : finite.Average();
    }
}
