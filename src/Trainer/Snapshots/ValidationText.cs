using MemScan.Trainer.Training;

namespace MemScan.Trainer.Snapshots;

/// <summary>
/// The held-out text a language model's snapshots are validated on: the corpus's lines after the
/// training cut (never trained on), up to <see cref="MaxChars"/> characters, as token ids.
/// Empty for inline training text, which has no held-out part.
/// </summary>
public static class ValidationText
{
    public const int MaxChars = 32_000;

    public static long[] Ids(TrainingCorpus corpus, Func<string, IEnumerable<int>> encode)
    {
        var lines = new List<string>();
        int chars = 0;
        foreach (var line in corpus.HeldOutLines)
        {
            if ((chars += line.Length + 1) > MaxChars) break;
            lines.Add(line);
        }
        return lines.Count == 0 ? [] : encode(string.Join('\n', lines)).Select(i => (long)i).ToArray();
    }
}
