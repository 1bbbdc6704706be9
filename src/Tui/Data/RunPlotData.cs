namespace MemScan.Tui.Data;

/// <summary>The numbers behind a run's plots; each part is empty when the run has no table for it.</summary>
internal sealed record RunPlotData
{
    /// <summary>Exposure in bits per canary, from exposure.parquet.</summary>
    public IReadOnlyList<double> ExposureBits { get; init; } = [];

    /// <summary>log2|R| of the largest canary space, the top of the exposure axis.</summary>
    public double? MaxExposureBits { get; init; }

    public IReadOnlyList<RocPoint> Roc { get; init; } = [];
    public string? RocSource { get; init; }

    public IReadOnlyList<MemberLoss> Losses { get; init; } = [];
    public string? LossSource { get; init; }

    /// <summary>For sweeps: the column plotted and its values.</summary>
    public string? ColumnName { get; init; }
    public IReadOnlyList<double> ColumnValues { get; init; } = [];

    /// <summary>Exposure and accuracy against step, from trajectory.parquet (<c>memscan trajectory</c>).</summary>
    public TrajectoryCurves? Trajectory { get; init; }

    public static RunPlotData None { get; } = new();
}
