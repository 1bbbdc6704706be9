using MemScan.Scanner.Results;

namespace MemScan.Tui.Data;

/// <summary>
/// The columns sorting and filtering need, for every row, packed small (21 bytes a row, so a
/// million findings cost 21 MB) so the table can be reordered without materializing findings.
/// </summary>
internal sealed class FindingKeys
{
    public FindingKeys(Severity[] severities, double[] scores, double[] normalized, int[] probeIndex, IReadOnlyList<string> probes)
    {
        if (scores.Length != severities.Length || normalized.Length != severities.Length || probeIndex.Length != severities.Length)
            throw new ArgumentException("one severity, score, normalized score and probe per row");
        Severities = severities;
        Scores = scores;
        Normalized = normalized;
        ProbeIndex = probeIndex;
        Probes = probes;
    }

    public Severity[] Severities { get; }

    /// <summary>The raw score, in the units of the row's score name (what the table shows).</summary>
    public double[] Scores { get; }

    /// <summary><see cref="NormalizedScore"/> of each row: what sorts use, since raw units differ per probe.</summary>
    public double[] Normalized { get; }

    /// <summary>Index into <see cref="Probes"/> per row.</summary>
    public int[] ProbeIndex { get; }

    /// <summary>Distinct probe names, sorted ordinally (so probe index order is probe name order).</summary>
    public IReadOnlyList<string> Probes { get; }

    public int Count => Scores.Length;

    public Severity? Worst => Count == 0 ? null : Severities.Max();

    public static FindingKeys Empty { get; } = new([], [], [], [], []);
}
