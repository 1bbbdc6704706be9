using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Tui.Demo;

/// <summary>A ROC point as a membership-inference probe might write it (demo data only).</summary>
internal sealed class DemoRocRow : IParquetRow
{
    public static string TableName => "roc";
    [JsonPropertyName("attack")] public string Attack { get; set; } = "";
    [JsonPropertyName("threshold")] public double Threshold { get; set; }
    [JsonPropertyName("fpr")] public double Fpr { get; set; }
    [JsonPropertyName("tpr")] public double Tpr { get; set; }
}
