using System.Text.Json.Serialization;
using MemScan.Scanner.Results;
using Parquet.Serialization.Attributes;

namespace MemScan.Scanner.Sweeps;

/// <summary>
/// One generated sample of an extraction sweep with its scores: a row of
/// <c>sweeps/&lt;id&gt;/shard=NNNN/part-XXXX.parquet</c>. Columns are documented in docs/RESULTS.md.
/// Every column but <see cref="CreatedUtc"/> is a function of sweep.json and the sample index.
/// </summary>
public sealed class SweepSampleRow : IParquetRow
{
    public static string TableName => "sweep_samples";

    [JsonPropertyName("sample_index")] public long SampleIndex { get; set; }
    [JsonPropertyName("shard")] public int Shard { get; set; }
    [JsonPropertyName("prompt")] public string Prompt { get; set; } = "";
    /// <summary>The generated continuation (without the prompt), decoded.</summary>
    [JsonPropertyName("text")] public string Text { get; set; } = "";
    /// <summary>The generated token ids (without the prompt).</summary>
    [JsonPropertyName("tokens")] public int[] Tokens { get; set; } = [];
    /// <summary>Mean −ln p per generated token under the target model (ln of the perplexity).</summary>
    [JsonPropertyName("log_perplexity")] public double LogPerplexity { get; set; }
    [JsonPropertyName("zlib_ratio")] public double ZlibRatio { get; set; }
    [JsonPropertyName("lowercase_ratio")] public double LowercaseRatio { get; set; }
    [JsonPropertyName("window_min_log_perplexity")] public double WindowMinLogPerplexity { get; set; }
    [JsonPropertyName("reference_ratio")] public double? ReferenceRatio { get; set; }
    [JsonPropertyName("seed")] public long Seed { get; set; }

    [JsonPropertyName("created_utc")]
    [ParquetTimestamp(ParquetTimestampResolution.Microseconds, useLogicalTimestamp: true, isAdjustedToUTC: true)]
    public DateTime CreatedUtc { get; set; }
}
