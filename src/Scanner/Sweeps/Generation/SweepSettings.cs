using System.Globalization;

namespace MemScan.Scanner.Sweeps;

/// <summary>
/// How a sweep generates and scores its samples. Everything here changes the rows, so all of it is
/// recorded in sweep.json and a restart with different values is refused (<see cref="SweepInfo"/>).
/// Defaults follow Carlini et al. 2021 where they apply (256 tokens, top-k 40, window 50).
/// </summary>
public sealed record SweepSettings
{
    /// <summary>Samples in the whole sweep (all shards together), indices 0..Samples-1.</summary>
    public long Samples { get; init; } = 1000;
    /// <summary>Tokens generated per sample (after the prompt).</summary>
    public int Tokens { get; init; } = 256;
    /// <summary>Top-k sampling; 0 = sample from the whole vocabulary.</summary>
    public int TopK { get; init; } = 40;
    public TemperatureSchedule Temperature { get; init; } = TemperatureSchedule.Constant(1.0);
    public long Seed { get; init; }
    /// <summary>Sliding window, in tokens, of the window-minimum perplexity.</summary>
    public int Window { get; init; } = 50;
    /// <summary>
    /// Samples per model batch. Batches are laid on a global grid (batch j = samples j·B ..
    /// (j+1)·B−1) that every shard layout shares, so a sample is always computed in the same
    /// company and its floats do not depend on sharding.
    /// </summary>
    public int Batch { get; init; } = 64;
    /// <summary>Batches per Parquet part (one row group each): the unit of commit and of resume.</summary>
    public int BatchesPerPart { get; init; } = 4;
    /// <summary>Start text when there is no prompt file (a newline: the char models' "beginning of text").</summary>
    public string StartText { get; init; } = "\n";
    /// <summary>Prompt corpus, one prompt per line; null starts every sample from <see cref="StartText"/>.</summary>
    public string? PromptFile { get; init; }
    /// <summary>Prompts are cut to their first this many tokens; 0 keeps whole lines.</summary>
    public int PromptTokens { get; init; }

    public long BatchCount => (Samples + Batch - 1) / Batch;

    public void Validate()
    {
        if (Samples <= 0) throw new MemScanException($"--samples must be > 0, got {Samples}");
        if (Tokens <= 0) throw new MemScanException($"--tokens must be > 0, got {Tokens}");
        if (TopK < 0) throw new MemScanException($"--top-k must be >= 0 (0 = no cut), got {TopK}");
        if (Window <= 0) throw new MemScanException($"--window must be > 0, got {Window}");
        if (Batch <= 0) throw new MemScanException($"--batch must be > 0, got {Batch}");
        if (BatchesPerPart <= 0) throw new MemScanException($"--batches-per-part must be > 0, got {BatchesPerPart}");
        if (PromptTokens < 0) throw new MemScanException($"--prompt-tokens must be >= 0, got {PromptTokens}");
        if (PromptFile is null && StartText.Length == 0) throw new MemScanException("--start must not be empty: the model needs a token to condition on");
        Temperature.Validate();
    }

    /// <summary>The settings as sweep.json stores and compares them (invariant strings).</summary>
    public SortedDictionary<string, string> ToFields()
    {
        var c = CultureInfo.InvariantCulture;
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["samples"] = Samples.ToString(c),
            ["tokens"] = Tokens.ToString(c),
            ["top_k"] = TopK.ToString(c),
            ["temperature"] = Temperature.Final.ToString("R", c),
            ["temperature_start"] = Temperature.Start?.ToString("R", c) ?? "",
            ["temperature_decay_tokens"] = Temperature.Start is null ? "0" : Temperature.DecayTokens.ToString(c),
            ["seed"] = Seed.ToString(c),
            ["window"] = Window.ToString(c),
            ["batch"] = Batch.ToString(c),
            ["batches_per_part"] = BatchesPerPart.ToString(c),
            ["start_text"] = PromptFile is null ? StartText : "",
            ["prompt_tokens"] = PromptFile is null ? "0" : PromptTokens.ToString(c),
        };
    }
}
