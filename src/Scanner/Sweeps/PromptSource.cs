using System.Security.Cryptography;
using MemScan.Scanner.Corpora;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Tokenizers;

namespace MemScan.Scanner.Sweeps;

/// <summary>
/// Where the samples of a sweep start. Either one fixed start text (Carlini et al. 2021 start from
/// the end-of-text token; a char model's nearest equivalent is a newline), or a line drawn per
/// sample from a prompt corpus (their "Internet" conditioning: short snippets of text from outside
/// the training set). The line is picked by <see cref="SampleRandom"/> from (seed, sample index),
/// never by position in a run, so a sample's prompt does not depend on sharding or restarts.
/// </summary>
public sealed class PromptSource
{
    readonly SweepPrompt[] _prompts;

    PromptSource(SweepPrompt[] prompts, string description, string? sha256)
    {
        _prompts = prompts;
        Description = description;
        Sha256 = sha256;
    }

    /// <summary>"start:\n" or "file:prompts.txt (1,234 lines, first 16 tokens)" — for messages.</summary>
    public string Description { get; }
    /// <summary>SHA-256 of the prompt file (null for a fixed start); a restart must use the same file.</summary>
    public string? Sha256 { get; }
    public int Count => _prompts.Length;
    /// <summary>Tokens of the longest prompt: what a sample holds before its first generated token.</summary>
    public int MaxTokens => _prompts.Max(p => p.Tokens.Length);

    public static PromptSource Start(string text, ITextTokenizer tokenizer)
    {
        int[] tokens = tokenizer.Encode(text);
        if (tokens.Length == 0)
            throw new MemScanException($"the start text '{Escape(text)}' encodes to 0 tokens with {tokenizer.Describe()}; the model needs at least 1 token to condition on (--start)");
        return new PromptSource([new SweepPrompt(text, tokens)], "start:" + Escape(text), null);
    }

    /// <summary>
    /// One prompt per non-blank line of <paramref name="path"/>, cut to its first
    /// <paramref name="maxTokens"/> tokens (0 = whole line). The stored prompt text is the decoded
    /// cut, i.e. exactly what the model was conditioned on.
    /// </summary>
    public static PromptSource FromFile(string path, int maxTokens, ITextTokenizer tokenizer)
    {
        if (maxTokens < 0) throw new MemScanException($"--prompt-tokens must be >= 0, got {maxTokens}");
        // A prompt corpus is a samples file: the same limits keep the bytes, each line and the prompts bounded.
        byte[] bytes = InputFile.ReadAllBytes(path, "prompt file", SampleFile.MaxBytes);
        var prompts = new List<SweepPrompt>();
        foreach (string line in CorpusText.NonBlankLines(CorpusText.Decode(bytes)))
        {
            if (line.Length > SampleFile.MaxLineChars)
                throw new MemScanException($"prompt file {path} has a line of {line.Length:N0} characters; the limit of one prompt is {SampleFile.MaxLineChars:N0}");
            if (prompts.Count == SampleFile.MaxSamples)
                throw new MemScanException($"prompt file {path} holds more than {SampleFile.MaxSamples:N0} prompts, the limit of one file");
            int[] tokens = tokenizer.Encode(line);
            if (maxTokens > 0 && tokens.Length > maxTokens) tokens = tokens[..maxTokens];
            if (tokens.Length == 0) continue;
            prompts.Add(new SweepPrompt(maxTokens > 0 ? tokenizer.Decode(tokens) : line, tokens));
        }
        if (prompts.Count == 0)
            throw new MemScanException($"prompt file {path} has no non-blank line that encodes to at least 1 token ({bytes.Length:N0} bytes read)");
        string cut = maxTokens > 0 ? $", first {maxTokens} tokens" : "";
        return new PromptSource(prompts.ToArray(), $"file:{Path.GetFileName(path)} ({prompts.Count:N0} prompts{cut})",
            Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>The prompt of sample <paramref name="sampleIndex"/> of a sweep seeded with <paramref name="seed"/>.</summary>
    public SweepPrompt For(long seed, long sampleIndex) => _prompts.Length == 1
        ? _prompts[0]
        : _prompts[(int)(SampleRandom.Hash(seed, sampleIndex, SampleRandom.PromptStream, 0) % (ulong)_prompts.Length)];

    static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t");
}
