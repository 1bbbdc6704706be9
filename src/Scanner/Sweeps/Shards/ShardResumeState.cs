using MemScan.Scanner.Results;

namespace MemScan.Scanner.Sweeps;

/// <summary>
/// What a shard has already committed, read back from its parts: the basis of resume. Parts hold
/// whole batches and are renamed into place only when complete, so a batch is either fully
/// committed or absent; anything else means the folder was edited or mixed, and is refused.
/// </summary>
public sealed record ShardResumeState(IReadOnlySet<long> CommittedBatches, int NextPart, long CommittedSamples, int StaleTempFilesRemoved)
{
    /// <summary>
    /// Deletes the temp parts a killed run left (<c>.part-*.tmp</c>: never committed, never listed
    /// by readers) and reads the sample indices of the committed parts. Call under the shard lock.
    /// </summary>
    public static async Task<ShardResumeState> LoadAsync(string sweepDir, ShardSpec spec, SweepSettings settings, CancellationToken ct = default)
    {
        int shard = spec.Index;
        string folder = HiveFolder.ShardFolder(sweepDir, shard);
        int removed = 0;
        if (Directory.Exists(folder))
            foreach (string temp in Directory.EnumerateFiles(folder, ".part-*" + AtomicFile.TempSuffix))
            {
                File.Delete(temp);
                removed++;
            }

        var perBatch = new Dictionary<long, int>();
        var seen = new HashSet<long>();
        var parts = HiveFolder.ListParts(sweepDir).Where(p => p.Shard == shard).ToList();
        foreach (HivePart part in parts)
        {
            IReadOnlyList<SweepSampleRow> rows;
            try
            {
                rows = await ParquetTable<SweepSampleRow>.ReadAsync(part.Path, ct).ConfigureAwait(false);
            }
            catch (MemScanException e)
            {
                throw new MemScanException($"cannot resume shard {shard}: {e.Message}; delete {part.Path} and rerun to regenerate its samples", e);
            }
            foreach (SweepSampleRow row in rows)
            {
                if (row.SampleIndex < 0 || row.SampleIndex >= settings.Samples)
                    throw new MemScanException($"cannot resume shard {shard}: {part.Path} holds sample {row.SampleIndex}, outside 0..{settings.Samples - 1} of this sweep");
                if (!seen.Add(row.SampleIndex))
                    throw new MemScanException($"cannot resume shard {shard}: sample {row.SampleIndex} appears twice (again in {part.Path})");
                long batch = row.SampleIndex / settings.Batch;
                if (batch % spec.Count != shard)
                    throw new MemScanException($"cannot resume shard {spec}: {part.Path} holds sample {row.SampleIndex} of batch {batch}, which belongs to shard {batch % spec.Count}");
                perBatch[batch] = perBatch.GetValueOrDefault(batch) + 1;
            }
        }
        foreach ((long batch, int count) in perBatch)
        {
            long expected = Math.Min(settings.Samples, (batch + 1) * settings.Batch) - batch * settings.Batch;
            if (count != expected)
                throw new MemScanException($"cannot resume shard {shard}: batch {batch} has {count} of its {expected} samples committed; the parts were edited or mixed");
        }
        int nextPart = parts.Count == 0 ? 0 : parts.Max(p => p.Part) + 1;
        return new ShardResumeState(perBatch.Keys.ToHashSet(), nextPart, seen.Count, removed);
    }
}
