using Microsoft.ML.Tokenizers;

namespace MemScan.Scanner.Tokenizers;

/// <summary>
/// A SentencePiece model (<c>.model</c>, a serialized ModelProto; BPE or unigram) as used by LLaMA,
/// T5, Mistral and many others. Named so as not to clash with
/// <see cref="Microsoft.ML.Tokenizers.SentencePieceTokenizer"/>, which does the work.
/// </summary>
public sealed class SentencePieceTextTokenizer : ITextTokenizer
{
    readonly SentencePieceTokenizer _spm;

    SentencePieceTextTokenizer(SentencePieceTokenizer spm, int vocabSize, string path)
    {
        _spm = spm;
        VocabSize = vocabSize;
        ModelFile = path;
    }

    public string ModelFile { get; }
    /// <summary>Highest piece id plus one (LLaMA: 32,000).</summary>
    public int VocabSize { get; }
    public int BeginningOfSentenceId => _spm.BeginningOfSentenceId;
    public int EndOfSentenceId => _spm.EndOfSentenceId;
    public bool AddsBeginningOfSentence => _spm.AddBeginningOfSentence;

    /// <summary>
    /// Loads <paramref name="path"/>. <paramref name="addBeginningOfSentence"/> prepends the BOS id to
    /// every encoding (LLaMA-style models expect it at the start of a sequence); decoding drops it.
    /// </summary>
    public static SentencePieceTextTokenizer Create(string path, bool addBeginningOfSentence = false)
    {
        var full = TokenizerFile.Require(path, "SentencePiece model");
        SentencePieceTokenizer spm;
        try
        {
            using var stream = TokenizerFile.Open(full, "SentencePiece model");
            spm = SentencePieceTokenizer.Create(stream, addBeginningOfSentence, addEndOfSentence: false);
        }
        catch (Exception e) when (TokenizerFile.IsLoadFailure(e))
        {
            throw new MemScanException($"SentencePiece model {full} cannot be loaded ({e.GetType().Name}: {e.Message}); is it a SentencePiece .model file?", e);
        }
        if (spm.Vocabulary.Count == 0)
            throw new MemScanException($"SentencePiece model {full} has no pieces");
        return new SentencePieceTextTokenizer(spm, spm.Vocabulary.Values.Max() + 1, full);
    }

    public int[] Encode(string text) => _spm.EncodeToIds(text).ToArray();

    /// <summary>Ids outside the vocabulary come back as U+FFFD (the library would drop them).</summary>
    public string Decode(IEnumerable<int> ids) => OutOfVocabularyIds.Decode(ids, VocabSize, known => _spm.Decode(known));

    public string Describe() => $"sentencepiece ({VocabSize} pieces, {Path.GetFileName(ModelFile)})";
}
