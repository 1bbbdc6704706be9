namespace MemScan.Trainer.Privacy;

/// <summary>
/// Poisson sampling for DP-SGD: at every step each of the <see cref="DatasetSize"/> examples joins
/// the batch independently with probability <see cref="SamplingRate"/> q, so batch sizes vary around
/// qN. This is the sampling <see cref="RdpAccountant"/> analyzes (fixed-size shuffled batches are
/// not: their guarantee needs a different, substitution-based analysis). The draw of step s depends
/// only on (seed, s), so a resumed run draws the same batches without replaying earlier steps.
/// </summary>
public sealed class PoissonSampler
{
    readonly int seed;

    public PoissonSampler(int datasetSize, double samplingRate, int seed)
    {
        if (datasetSize <= 0) throw new Scanner.MemScanException($"Poisson sampling needs examples, got a dataset of {datasetSize}");
        if (!(samplingRate > 0 && samplingRate <= 1))
            throw new Scanner.MemScanException($"sampling rate must be in (0, 1], got {samplingRate} (expected batch / dataset size {datasetSize})");
        DatasetSize = datasetSize;
        SamplingRate = samplingRate;
        this.seed = seed;
    }

    public int DatasetSize { get; }
    public double SamplingRate { get; }
    public double ExpectedBatchSize => SamplingRate * DatasetSize;

    /// <summary>The indices (ascending) of the examples in the batch of <paramref name="step"/>.</summary>
    public int[] Sample(long step)
    {
        var random = new Random(StepSeed.For(seed, step, salt: 0x9015));
        var batch = new List<int>((int)(ExpectedBatchSize * 1.5) + 4);
        for (int i = 0; i < DatasetSize; i++)
            if (random.NextDouble() < SamplingRate) batch.Add(i);
        return [.. batch];
    }
}
