using System.Text;

namespace MemScan.Scanner.Tokenizers;

/// <summary>
/// Model outputs can hold ids the tokenizer lacks (logits padded past the vocabulary, or the wrong
/// tokenizer). Microsoft.ML.Tokenizers drops such ids silently; MemScan shows each one as U+FFFD so
/// that a decoded generation never looks cleaner than the model's output was.
/// </summary>
internal static class OutOfVocabularyIds
{
    public const char Replacement = '\uFFFD';

    public static string Decode(IEnumerable<int> ids, int vocabSize, Func<IEnumerable<int>, string> decode)
    {
        var list = ids as IReadOnlyList<int> ?? ids.ToList();
        bool allKnown = true;
        foreach (int id in list)
            if ((uint)id >= (uint)vocabSize) { allKnown = false; break; }
        if (allKnown) return decode(list);

        // decode the runs of known ids separately: a byte-level token split by a bad id stays visible too
        var text = new StringBuilder();
        var run = new List<int>();
        foreach (int id in list)
        {
            if ((uint)id < (uint)vocabSize) { run.Add(id); continue; }
            if (run.Count > 0) { text.Append(decode(run)); run.Clear(); }
            text.Append(Replacement);
        }
        if (run.Count > 0) text.Append(decode(run));
        return text.ToString();
    }
}
