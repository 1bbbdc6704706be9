namespace MemScan.Scanner.Sweeps;

/// <summary>
/// Reported after each batch is written into the open part (<see cref="PartCommitted"/> false) and
/// after each part is committed (true). Samples count this shard only.
/// </summary>
public sealed record SweepProgress(int Shard, long SamplesDone, long SamplesTotal, int Part, int BatchesInPart, bool PartCommitted, string PartPath);
