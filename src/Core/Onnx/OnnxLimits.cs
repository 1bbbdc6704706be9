namespace MemScan.Scanner.Onnx;

/// <summary>
/// What <see cref="OnnxModelInfo.Load"/> accepts from an untrusted file. The defaults fit any
/// model MemScan scans on one machine; raise them with <c>with { ... }</c> when a real model needs it.
/// </summary>
public sealed record OnnxLimits
{
    /// <summary>Operator domains every ONNX Runtime build implements.</summary>
    public static readonly IReadOnlyList<string> StandardDomains = ["", "ai.onnx", "ai.onnx.ml", "com.microsoft"];

    public static OnnxLimits Default { get; } = new();

    /// <summary>Largest .onnx file (protobuf itself stops below 2 GiB).</summary>
    public long MaxFileBytes { get; init; } = int.MaxValue;

    /// <summary>Total bytes of all initializers, external data included.</summary>
    public long MaxInitializerBytes { get; init; } = 2L << 30;

    /// <summary>Nodes in the graph, its subgraphs and model-local functions together.</summary>
    public int MaxNodes { get; init; } = 100_000;

    /// <summary>Largest single dimension of any declared shape or initializer.</summary>
    public long MaxDim { get; init; } = 1L << 31;

    /// <summary>Largest tensor rank.</summary>
    public int MaxRank { get; init; } = 64;

    /// <summary>Protobuf nesting depth (subgraphs inside subgraphs); protobuf's own default is 100.</summary>
    public int MaxRecursionDepth { get; init; } = 100;

    /// <summary>Operator domains accepted on top of <see cref="StandardDomains"/>.</summary>
    public IReadOnlyList<string> ExtraAllowedDomains { get; init; } = [];

    public bool IsDomainAllowed(string domain) =>
        StandardDomains.Contains(domain, StringComparer.Ordinal) || ExtraAllowedDomains.Contains(domain, StringComparer.Ordinal);
}
