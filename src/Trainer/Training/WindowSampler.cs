namespace MemScan.Trainer.Training;

/// <summary>
/// Standard mode's batches: <c>batch</c> windows of <c>seq + 1</c> token ids at uniformly random
/// offsets, drawn from one <see cref="Random"/> stream seeded by the config (the stream the trainer
/// has always used, so models trained before checkpoints existed are reproduced exactly). Resuming
/// at step s replays the s earlier draws, which costs microseconds per step.
/// </summary>
public sealed class WindowSampler(long[] ids, int batch, int sequenceLength, int seed)
{
    readonly Random random = new(seed);
    readonly long[] window = new long[batch * (sequenceLength + 1)];

    /// <summary>The next batch, row-major [batch, seq + 1]; the array is reused between calls.</summary>
    public long[] Next()
    {
        int t = sequenceLength;
        for (int r = 0; r < batch; r++)
            Array.Copy(ids, random.NextInt64(ids.Length - t - 1), window, r * (t + 1), t + 1);
        return window;
    }

    public void Skip(long batches)
    {
        for (long i = 0; i < batches; i++)
            for (int r = 0; r < batch; r++) random.NextInt64(ids.Length - sequenceLength - 1);
    }
}
