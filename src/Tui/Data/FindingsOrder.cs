using System.Collections;

namespace MemScan.Tui.Data;

/// <summary>
/// Turns the packed keys of a findings file and a query into the file rows to show, in order.
/// Works on row numbers only (an int per shown row), so re-sorting a million findings never
/// touches the findings themselves.
/// </summary>
internal static class FindingsOrder
{
    /// <param name="textMatches">Rows matching <see cref="FindingsQuery.Text"/>, or null when there is no text filter.</param>
    public static int[] Apply(FindingKeys keys, FindingsQuery query, BitArray? textMatches)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(query);
        int probe = query.Probe is null ? -1 : IndexOf(keys.Probes, query.Probe);
        if (query.Probe is not null && probe < 0)
            return [];
        var rows = new List<int>(keys.Count);
        for (int i = 0; i < keys.Count; i++)
        {
            if (keys.Severities[i] < query.MinSeverity)
                continue;
            if (probe >= 0 && keys.ProbeIndex[i] != probe)
                continue;
            if (textMatches is not null && !textMatches[i])
                continue;
            rows.Add(i);
        }
        int[] order = rows.ToArray();
        Comparison<int> compare = query.Sort switch
        {
            FindingSort.Score => (a, b) => Chain(ScoreDescending(keys, a, b), SeverityDescending(keys, a, b), a.CompareTo(b)),
            FindingSort.Probe => (a, b) => Chain(keys.ProbeIndex[a].CompareTo(keys.ProbeIndex[b]),
                SeverityDescending(keys, a, b), ScoreDescending(keys, a, b), a.CompareTo(b)),
            _ => (a, b) => Chain(SeverityDescending(keys, a, b), ScoreDescending(keys, a, b), a.CompareTo(b)),
        };
        Array.Sort(order, compare);
        return order;
    }

    private static int SeverityDescending(FindingKeys k, int a, int b) => k.Severities[b].CompareTo(k.Severities[a]);

    // NaN (a probe that could not compute its score) sorts last rather than first
    private static int ScoreDescending(FindingKeys k, int a, int b)
    {
        double x = k.Scores[a], y = k.Scores[b];
        if (double.IsNaN(x) || double.IsNaN(y))
            return double.IsNaN(x).CompareTo(double.IsNaN(y));
        return y.CompareTo(x);
    }

    private static int Chain(int first, int second, int third) => first != 0 ? first : second != 0 ? second : third;

    private static int Chain(int first, int second, int third, int fourth) =>
        first != 0 ? first : Chain(second, third, fourth);

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
            if (string.Equals(names[i], name, StringComparison.Ordinal))
                return i;
        return -1;
    }
}
