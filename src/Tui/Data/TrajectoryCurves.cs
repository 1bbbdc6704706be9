using System.Globalization;
using MemScan.Scanner;
using Parquet;
using Parquet.Schema;

namespace MemScan.Tui.Data;

/// <summary>One point of a curve: a snapshot's step (or epoch) and the value there.</summary>
internal readonly record struct CurvePoint(double Step, double Value);

/// <summary>A named curve over the snapshots of a run.</summary>
internal sealed record Curve(string Label, IReadOnlyList<CurvePoint> Points);

/// <summary>
/// The curves of a <c>trajectory.parquet</c> (<c>memscan trajectory</c>): exposure against step,
/// one curve per insertion count (the mean over the canaries inserted that many times, as the
/// trajectory's exposure.png draws it), and accuracy against step — the model's train and test
/// accuracy and each example group's (real, random-label, noise, ...) for classifiers.
/// </summary>
internal sealed record TrajectoryCurves(string Unit, IReadOnlyList<Curve> Exposure, double? MaxExposureBits, IReadOnlyList<Curve> Accuracy)
{
    public const string FileName = "trajectory.parquet";

    public static async Task<TrajectoryCurves> ReadAsync(string path, CancellationToken ct = default)
    {
        double[][] c = await ParquetColumns.ReadAsync(path,
            ["step", "insertions", "exposure_bits", "log2_space", "accuracy", "train_accuracy", "test_accuracy"], ct).ConfigureAwait(false);
        var (step, insertions, exposure, space, accuracy, train, test) = (c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
        string[] subject = await ReadStringsAsync(path, "subject", ct).ConfigureAwait(false);
        string[] unit = await ReadStringsAsync(path, "unit", ct).ConfigureAwait(false);
        int n = step.Length;

        var exposureCurves = Enumerable.Range(0, n).Where(i => double.IsFinite(exposure[i]) && double.IsFinite(insertions[i]))
            .GroupBy(i => insertions[i])
            .OrderByDescending(g => g.Key)
            .Select(g => Mean(string.Create(CultureInfo.InvariantCulture, $"{g.Key:0}x"), g, step, exposure))
            .ToList();
        var accuracyCurves = new List<Curve>();
        foreach (var (label, values) in new[] { ("train", train), ("test", test) })
        {
            var rows = Enumerable.Range(0, n).Where(i => double.IsFinite(values[i])).ToList();
            if (rows.Count > 0) accuracyCurves.Add(Mean(label, rows, step, values));
        }
        accuracyCurves.AddRange(Enumerable.Range(0, n).Where(i => double.IsFinite(accuracy[i]))
            .GroupBy(i => subject[i], StringComparer.Ordinal)
            .Select(g => Mean(g.Key, g, step, accuracy)));
        double[] spaces = space.Where(double.IsFinite).ToArray();
        return new TrajectoryCurves(unit.FirstOrDefault(u => u.Length > 0) ?? "step", exposureCurves,
            spaces.Length == 0 ? null : spaces.Max(), accuracyCurves);
    }

    /// <summary>The mean of <paramref name="values"/> over the rows of each step, in step order.</summary>
    static Curve Mean(string label, IEnumerable<int> rows, double[] step, double[] values) =>
        new(label, rows.GroupBy(i => step[i]).OrderBy(g => g.Key).Select(g => new CurvePoint(g.Key, g.Average(i => values[i]))).ToList());

    static async Task<string[]> ReadStringsAsync(string path, string column, CancellationToken ct)
    {
        var values = new List<string>();
        try
        {
            await using ParquetReader reader = await ParquetReader.CreateAsync(path, cancellationToken: ct).ConfigureAwait(false);
            DataField field = reader.Schema.DataFields.FirstOrDefault(f => f.Name == column)
                ?? throw new MemScanException($"{path} has no column '{column}'");
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
                var text = new string?[checked((int)group.RowCount)];
                await group.ReadAsync(field, text.AsMemory(), null, ct).ConfigureAwait(false);
                values.AddRange(text.Select(t => t ?? ""));
            }
        }
        catch (Exception e) when (e is not (MemScanException or OperationCanceledException))
        {
            throw new MemScanException($"{path} is corrupt: {e.Message}", e);
        }
        return [.. values];
    }
}
