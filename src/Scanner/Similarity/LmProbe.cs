using MemScan.Scanner.Manifest;
using MemScan.Scanner.Tokenizers;

namespace MemScan.Scanner.Similarity;

/// <summary>
/// The probe set of a language-model comparison: <see cref="Windows"/> windows of
/// <see cref="WindowTokens"/> tokens, evenly spaced over a text (by default the first model's
/// held-out sample text, else its training samples). Every (window, position) pair is one row of
/// the representation — the token is the example, as in per-token similarity analyses of language
/// models — so a layer compares N·T hidden states, not N pooled ones. Mean-pooling would average
/// away the position-by-position structure that memorized text has.
/// </summary>
public sealed record LmProbe(string Source, IReadOnlyList<int[]> Windows, int WindowTokens)
{
    /// <summary>Rows are N·T; their Gram matrix is (N·T)² doubles, so the product is capped.</summary>
    public const int MaxRows = 8192;

    public int Rows => Windows.Count * WindowTokens;

    public static LmProbe Load(string text, string source, ITextTokenizer tokenizer, int windows, int windowTokens)
    {
        if (windows < 1 || windowTokens < 2) throw new MemScanException($"--windows must be >= 1 and --window-tokens >= 2, got {windows} and {windowTokens}");
        if ((long)windows * windowTokens > MaxRows)
            throw new MemScanException($"--windows {windows} × --window-tokens {windowTokens} = {(long)windows * windowTokens} rows; memscan compare takes at most {MaxRows}");
        if ((long)windows * windowTokens < 4) throw new MemScanException("the unbiased CKA estimator needs at least 4 rows: raise --windows or --window-tokens");
        var ids = tokenizer.Encode(text);
        if (ids.Length < windowTokens) throw new MemScanException($"{source} has {ids.Length} tokens, fewer than one window of {windowTokens}");
        int fit = Math.Min(windows, ids.Length / windowTokens);
        if (fit < windows && fit * windowTokens < 4) throw new MemScanException($"{source} has {ids.Length} tokens: too few for CKA");
        // Non-overlapping windows, spread evenly over the text.
        var picked = Enumerable.Range(0, fit).Select(k => ids.AsSpan((int)((long)k * (ids.Length / windowTokens) / fit) * windowTokens, windowTokens).ToArray()).ToList();
        return new LmProbe(source, picked, windowTokens);
    }

    /// <summary>The default probe text: the model's held-out samples, else its member samples.</summary>
    public static string DefaultTextPath(string model, ModelManifest manifest)
    {
        string manifestPath = ModelManifest.PathFor(model);
        if (manifest.Samples is { } samples && (samples.NonMembers ?? samples.Members) is { } file)
            return ModelManifest.ResolveFile(manifestPath, file, "sample text");
        throw new MemScanException($"no probe text: {manifestPath} names no sample files; pass --texts FILE");
    }
}
