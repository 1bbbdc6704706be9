using System.Diagnostics;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Sweeps;

/// <summary>
/// Runs one shard of a sweep, resumably. The shard's batches (<see cref="ShardSpec.Batches"/>) that
/// no committed part holds are generated in order, <see cref="SweepSettings.BatchesPerPart"/> per
/// part, one row group per batch; a part is renamed into place only when all its batches are
/// written. A run killed at any point leaves committed parts and at most one temp part; the next
/// run deletes the temp part and starts from the first batch not committed. Since a sample depends
/// only on (settings, sample index) and batches sit on a fixed grid, the rows after any number of
/// interruptions are exactly those of an uninterrupted run (only <c>created_utc</c> differs).
/// </summary>
public sealed class SweepShardRunner(SweepGenerator generator, SampleScorer scorer, SweepSettings settings)
{
    /// <param name="maxParts">stop cleanly after writing this many parts (a time-boxed job); null = finish the shard.</param>
    public async Task<SweepShardResult> RunAsync(string sweepDir, ShardSpec shard, int? maxParts = null,
        Action<SweepProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        using var shardLock = ShardLock.Acquire(HiveFolder.ShardFolder(sweepDir, shard.Index), shard.Index);
        var resume = await ShardResumeState.LoadAsync(sweepDir, shard, settings, cancellationToken).ConfigureAwait(false);
        var mine = shard.Batches(settings.BatchCount).ToList();
        long total = mine.Sum(BatchSize);
        var pending = mine.Where(b => !resume.CommittedBatches.Contains(b)).ToList();

        long done = resume.CommittedSamples, written = 0;
        int part = resume.NextPart, parts = 0, next = 0;
        while (next < pending.Count && (maxParts is not int limit || parts < limit))
        {
            cancellationToken.ThrowIfCancellationRequested();
            string path = HiveFolder.PartPath(sweepDir, shard.Index, part);
            await using (var writer = ParquetPartWriter<SweepSampleRow>.Create(path))
            {
                int inPart = 0;
                for (; inPart < settings.BatchesPerPart && next < pending.Count; inPart++, next++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var rows = Produce(pending[next], shard.Index);
                    await writer.WriteRowGroupAsync(rows, cancellationToken).ConfigureAwait(false);
                    done += rows.Count;
                    written += rows.Count;
                    progress?.Invoke(new SweepProgress(shard.Index, done, total, part, inPart + 1, false, path));
                }
                cancellationToken.ThrowIfCancellationRequested();
                await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
                progress?.Invoke(new SweepProgress(shard.Index, done, total, part, inPart, true, path));
            }
            part++;
            parts++;
        }
        return new SweepShardResult(shard, total, resume.CommittedSamples, written, parts, resume.StaleTempFilesRemoved,
            next == pending.Count, watch.Elapsed.TotalSeconds);
    }

    /// <summary>The rows of global batch <paramref name="batch"/>: generated, then scored.</summary>
    public IReadOnlyList<SweepSampleRow> Produce(long batch, int shard)
    {
        long first = batch * settings.Batch;
        var samples = generator.Generate(first, (int)BatchSize(batch));
        return scorer.Score(samples, settings.Seed, shard, DateTime.UtcNow);
    }

    long BatchSize(long batch) => Math.Min(settings.Samples, (batch + 1) * settings.Batch) - batch * settings.Batch;
}
