namespace MemScan.Scanner.Sweeps;

/// <summary>
/// An index of every <see cref="MinMatch"/>-character window of a training text, for confirming
/// extractions: a sample is memorized when it contains a window of the training text verbatim.
/// Windows are keyed by a 64-bit polynomial rolling hash (one pass over the corpus, O(1) look-up per
/// sample position); a hit is checked character by character against the corpus, so a hash
/// collision never confirms anything, and then extended forward as far as the texts agree.
/// Documents are joined with U+0000 and windows across a join are not indexed, so a match never
/// straddles two documents. Only the first occurrence of a window is kept, so
/// <see cref="VerbatimMatch.Length"/> is the longest match found from that occurrence, a lower
/// bound when the window repeats with different continuations.
/// </summary>
public sealed class CorpusIndex
{
    const char Separator = '\0';
    const ulong Base = 0x100000001B3UL;

    readonly string _text;
    readonly Dictionary<ulong, int> _first;
    readonly ulong _basePower; // Base^(MinMatch-1), to drop the leaving character

    CorpusIndex(string text, int minMatch, Dictionary<ulong, int> first, ulong basePower, int documents)
    {
        _text = text;
        MinMatch = minMatch;
        _first = first;
        _basePower = basePower;
        Documents = documents;
    }

    public int MinMatch { get; }
    public int Documents { get; }
    public long Chars => _text.Length;
    public int Windows => _first.Count;

    public static CorpusIndex Build(IEnumerable<string> documents, int minMatch)
    {
        if (minMatch < 8) throw new MemScanException($"--min-match must be at least 8 characters (shorter matches are everyday text), got {minMatch}");
        var docs = documents.ToList();
        string text = string.Join(Separator, docs.Select(d => d.Replace(Separator, ' ')));
        ulong power = 1;
        for (int i = 1; i < minMatch; i++) power *= Base;
        var first = new Dictionary<ulong, int>();
        ulong h = 0;
        int sinceSeparator = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == Separator)
            {
                h = 0;
                sinceSeparator = 0;
                continue;
            }
            if (sinceSeparator == minMatch) h -= text[i - minMatch] * power;
            else sinceSeparator++;
            h = h * Base + text[i];
            if (sinceSeparator == minMatch) first.TryAdd(h, i - minMatch + 1);
        }
        return new CorpusIndex(text, minMatch, first, power, docs.Count);
    }

    /// <summary>The longest verbatim match of at least <see cref="MinMatch"/> chars in <paramref name="sample"/>, or null.</summary>
    public VerbatimMatch? LongestMatch(string sample)
    {
        if (sample.Length < MinMatch) return null;
        VerbatimMatch? best = null;
        ulong h = 0;
        for (int i = 0; i < sample.Length; i++)
        {
            if (i >= MinMatch) h -= sample[i - MinMatch] * _basePower;
            h = h * Base + sample[i];
            if (i < MinMatch - 1) continue;
            int start = i - MinMatch + 1;
            if (!_first.TryGetValue(h, out int at)) continue;
            if (!sample.AsSpan(start, MinMatch).SequenceEqual(_text.AsSpan(at, MinMatch))) continue;
            int length = MinMatch;
            while (start + length < sample.Length && at + length < _text.Length && sample[start + length] == _text[at + length])
                length++;
            if (best is null || length > best.Length)
                best = new VerbatimMatch(start, at, length, sample.Substring(start, length));
        }
        return best;
    }
}
