namespace MemScan.Tui.Data;

/// <summary>
/// The text columns the findings table shows for every row (subject and score name), held as
/// columns rather than objects: the table formats a visible row from these and
/// <see cref="FindingKeys"/> without touching the file, so scrolling a sorted million-row view
/// never decodes a row group on the UI thread. Score names repeat, so they are stored as an index.
/// </summary>
internal sealed class FindingLabels
{
    public FindingLabels(string[] subjects, int[] scoreNameIndex, IReadOnlyList<string> scoreNames)
    {
        if (subjects.Length != scoreNameIndex.Length)
            throw new ArgumentException("one subject and one score name per row");
        Subjects = subjects;
        ScoreNameIndex = scoreNameIndex;
        ScoreNames = scoreNames;
    }

    public string[] Subjects { get; }
    public int[] ScoreNameIndex { get; }
    public IReadOnlyList<string> ScoreNames { get; }

    public string ScoreNameOf(int row) => ScoreNames[ScoreNameIndex[row]];

    public static FindingLabels Empty { get; } = new([], [], []);
}
