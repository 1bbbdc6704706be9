namespace MemScan.Scanner.Sweeps;

/// <summary>What one run of one shard did. <see cref="Complete"/>: every sample of the shard is now committed.</summary>
public sealed record SweepShardResult(
    ShardSpec Shard,
    long SamplesTotal,
    long SamplesAlreadyCommitted,
    long SamplesWritten,
    int PartsWritten,
    int StaleTempFilesRemoved,
    bool Complete,
    double Seconds);
