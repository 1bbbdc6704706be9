namespace MemScan.Scanner.Tokenizers;

/// <summary>Text to model token ids and back, whatever the tokenizer family.</summary>
public interface ITextTokenizer
{
    int VocabSize { get; }
    int[] Encode(string text);
    string Decode(IEnumerable<int> ids);
    /// <summary>A short description for reports, e.g. "char (97 symbols)".</summary>
    string Describe();
}
