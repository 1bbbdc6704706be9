namespace MemScan.Scanner.Tokenizers;

/// <summary>
/// The character vocabulary of the Trainer's char-level models, exported in the manifest.
/// Id 0 is the unknown symbol: characters outside the vocabulary map to it.
/// </summary>
public sealed class CharTokenizer : ITextTokenizer
{
    public const char Unknown = '\u0000';
    readonly string _symbols;
    readonly Dictionary<char, int> _ids;

    CharTokenizer(string symbols)
    {
        _symbols = symbols;
        _ids = new Dictionary<char, int>(symbols.Length);
        for (int i = 0; i < symbols.Length; i++) _ids[symbols[i]] = i;
    }

    /// <summary>The symbols in id order; index 0 is <see cref="Unknown"/>.</summary>
    public string Symbols => _symbols;
    public int VocabSize => _symbols.Length;

    public static CharTokenizer Create(string symbols)
    {
        if (symbols.Length < 2 || symbols[0] != Unknown)
            throw new MemScanException("char vocabulary must start with the unknown symbol U+0000 and have at least 2 symbols");
        if (symbols.Distinct().Count() != symbols.Length)
            throw new MemScanException("char vocabulary has repeated symbols");
        return new CharTokenizer(symbols);
    }

    /// <summary>Builds a vocabulary from text: characters seen at least <paramref name="minCount"/> times.</summary>
    public static CharTokenizer FromText(string text, int minCount = 1, IEnumerable<char>? mustInclude = null)
    {
        var counts = new Dictionary<char, int>();
        foreach (char c in text) counts[c] = counts.GetValueOrDefault(c) + 1;
        var kept = counts.Where(kv => kv.Value >= minCount && kv.Key != Unknown).Select(kv => kv.Key)
            .Concat(mustInclude ?? []).Distinct().OrderBy(c => c);
        return new CharTokenizer(Unknown + new string(kept.ToArray()));
    }

    public int IdOf(char c) => _ids.TryGetValue(c, out int id) ? id : 0;
    public bool Covers(string text) => text.All(_ids.ContainsKey);

    public int[] Encode(string text)
    {
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++) ids[i] = IdOf(text[i]);
        return ids;
    }

    public string Decode(IEnumerable<int> ids) =>
        new(ids.Select(i => i >= 0 && i < _symbols.Length ? _symbols[i] : Unknown).ToArray());

    public string Describe() => $"char ({VocabSize} symbols)";
}
