using MemScan.Scanner.Results;

namespace MemScan.Tui.Data;

/// <summary>
/// The three columns sorting and filtering need, for every row, packed small (13 bytes a row, so
/// a million findings cost 13 MB) so the table can be reordered without materializing findings.
/// </summary>
internal sealed class FindingKeys
{
    public FindingKeys(Severity[] severities, double[] scores, int[] probeIndex, IReadOnlyList<string> probes)
    {
        Severities = severities;
        Scores = scores;
        ProbeIndex = probeIndex;
        Probes = probes;
    }

    public Severity[] Severities { get; }
    public double[] Scores { get; }

    /// <summary>Index into <see cref="Probes"/> per row.</summary>
    public int[] ProbeIndex { get; }

    /// <summary>Distinct probe names, sorted ordinally (so probe index order is probe name order).</summary>
    public IReadOnlyList<string> Probes { get; }

    public int Count => Scores.Length;

    public Severity? Worst => Count == 0 ? null : Severities.Max();

    public static FindingKeys Empty { get; } = new([], [], [], []);
}
