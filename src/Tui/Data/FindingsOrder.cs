using System.Collections;
using MemScan.Scanner.Results;

namespace MemScan.Tui.Data;

/// <summary>
/// Turns the packed keys of a findings file and a query into the file rows to show, in order.
/// Works on row numbers only (an int per shown row), so re-sorting a million findings never
/// touches the findings themselves. Sorting and filtering are separate steps: a full sorted
/// permutation (<see cref="SortPermutation"/>, computed once per sort and kept by
/// <see cref="SortedOrders"/>) is filtered in one linear pass, so changing a filter never re-sorts.
/// </summary>
internal static class FindingsOrder
{
    /// <param name="textMatches">Rows matching <see cref="FindingsQuery.Text"/>, or null when there is no text filter.</param>
    public static int[] Apply(FindingKeys keys, FindingsQuery query, BitArray? textMatches)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(query);
        return Filter(keys, SortPermutation.Compute(keys, query.Sort), query, textMatches);
    }

    /// <summary>The rows of <paramref name="sorted"/> (a full permutation) that pass the query's filters, in its order.</summary>
    public static int[] Filter(FindingKeys keys, int[] sorted, FindingsQuery query, BitArray? textMatches,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(sorted);
        ArgumentNullException.ThrowIfNull(query);
        int probe = query.Probe is null ? -1 : IndexOf(keys.Probes, query.Probe);
        if (query.Probe is not null && probe < 0)
            return [];
        if (query.MinSeverity == Severity.Info && probe < 0 && textMatches is null)
            return sorted; // no filter: the permutation itself (never written to, so safe to share)
        var rows = new int[sorted.Length];
        int count = 0;
        Severity[] severities = keys.Severities;
        int[] probes = keys.ProbeIndex;
        for (int i = 0; i < sorted.Length; i++)
        {
            if ((i & 0xFFFF) == 0)
                cancellationToken.ThrowIfCancellationRequested();
            int row = sorted[i];
            if (severities[row] < query.MinSeverity)
                continue;
            if (probe >= 0 && probes[row] != probe)
                continue;
            if (textMatches is not null && !textMatches[row])
                continue;
            rows[count++] = row;
        }
        Array.Resize(ref rows, count);
        return rows;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
            if (string.Equals(names[i], name, StringComparison.Ordinal))
                return i;
        return -1;
    }
}
