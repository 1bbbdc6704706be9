namespace MemScan.Tui.Data;

/// <summary>
/// Every row of a findings table in one <see cref="FindingSort"/> order, as a permutation of row
/// numbers. Each row's whole sort chain (e.g. severity, then score, then row number) is packed
/// into one 128-bit key, so sorting is <c>Array.Sort(keys, rows)</c> on plain integers instead of
/// a delegate comparison per pair: a million rows sort in a fraction of the time, and because the
/// row number is part of the key every key is distinct and the order is fully determined.
/// </summary>
internal static class SortPermutation
{
    /// <summary>Bits left for the probe index in a probe-order key (severity 3, score 64, row 31 take the rest).</summary>
    private const int ProbeBits = 128 - 3 - 64 - 31;

    public static int[] Compute(FindingKeys keys, FindingSort sort, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (sort == FindingSort.Probe && keys.Probes.Count >= 1 << ProbeBits)
            throw new NotSupportedException($"more than {1 << ProbeBits:N0} distinct probes");
        int n = keys.Count;
        var packed = new UInt128[n];
        var rows = new int[n];
        for (int i = 0; i < n; i++)
        {
            if ((i & 0xFFFF) == 0)
                cancellationToken.ThrowIfCancellationRequested();
            // most severe first: critical (4) gets the smallest key
            var severity = (UInt128)(uint)(4 - (int)keys.Severities[i]);
            var score = (UInt128)ScoreDescendingKey(keys.Normalized[i]);
            var row = (UInt128)(uint)i;
            packed[i] = sort switch
            {
                FindingSort.Normalized => (score << 34) | (severity << 31) | row,
                FindingSort.Probe => ((UInt128)(uint)keys.ProbeIndex[i] << 98) | (severity << 95) | (score << 31) | row,
                _ => (severity << 95) | (score << 31) | row,
            };
            rows[i] = i;
        }
        cancellationToken.ThrowIfCancellationRequested();
        Array.Sort(packed, rows);
        return rows;
    }

    /// <summary>
    /// A key whose ascending order is descending score, with every NaN last and equal to each other
    /// (a probe that could not compute its score), and -0 equal to 0, as double comparison has it.
    /// </summary>
    internal static ulong ScoreDescendingKey(double score)
    {
        if (double.IsNaN(score))
            return ulong.MaxValue;
        if (score == 0)
            score = 0; // -0.0 and 0.0 compare equal: give them one key
        // IEEE bits made order-preserving as unsigned: flip all bits of negatives, the sign bit of the rest
        ulong bits = (ulong)BitConverter.DoubleToInt64Bits(score);
        ulong ascending = (bits & 0x8000_0000_0000_0000UL) != 0 ? ~bits : bits | 0x8000_0000_0000_0000UL;
        // descending; the largest result (-inf) is 0xFFF0…, below NaN's ulong.MaxValue
        return ~ascending;
    }
}
