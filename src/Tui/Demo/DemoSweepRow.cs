using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Tui.Demo;

/// <summary>One scored generation of an extraction sweep part (demo data only).</summary>
internal sealed class DemoSweepRow : IParquetRow
{
    public static string TableName => "sweep";
    [JsonPropertyName("log_perplexity")] public double LogPerplexity { get; set; }
    [JsonPropertyName("zlib_ratio")] public double ZlibRatio { get; set; }
    [JsonPropertyName("text")] public string Text { get; set; } = "";
}
