using System.Globalization;
using MemScan.Scanner.Plots;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes.Exposure;

/// <summary>The exposure probe in a scan: every canary with a secret, exposure.parquet and its histogram.</summary>
public sealed class ExposureScanProbe : ScanProbe<LmProbeContext>
{
    /// <summary>One row per canary with a secret, measured or read back.</summary>
    public IReadOnlyList<CanaryExposure> Results { get; private set; } = [];

    public override string Name => ExposureProbe.Name;
    /// <summary>exposure_samples only when extrapolation scored candidates.</summary>
    public override IReadOnlyList<string> Tables => [CanaryExposure.TableName, ExposureSample.TableName];

    public override IReadOnlyDictionary<string, string> Settings(LmProbeContext context)
    {
        var c = CultureInfo.InvariantCulture;
        var s = context.Exposure;
        return new Dictionary<string, string>
        {
            ["exact_limit"] = s.ExactLimit.ToString("G", c),
            ["exact_budget"] = s.ExactBudget.ToString(c),
            ["samples"] = s.ExtrapolationSamples.ToString(c),
            ["batch"] = s.Batch.ToString(c),
            ["seed"] = s.Seed.ToString(c),
        };
    }

    public override ProbeSkip? CannotRun(LmProbeContext context) => context.WithSecret.Count > 0 ? null : new ProbeSkip("no canary with a known secret");

    public override void Prepare(LmProbeContext context)
    {
        foreach (var canary in context.WithSecret) context.Trees.ExpectUse(canary);
    }

    public override ProbeOutcome Run(LmProbeContext context, RunFolder run)
    {
        var probe = new ExposureProbe(context.Model, context.Trees, context.Exposure);
        var exposure = new List<CanaryExposure>();
        var samples = new List<ExposureSample>();
        foreach (var canary in context.WithSecret)
        {
            context.Log($"exposure of {canary.Id} ({canary.Space}, {canary.Space.Size:N0} candidates)");
            exposure.Add(probe.Measure(canary, samples: samples));
        }
        ParquetTable<CanaryExposure>.WriteAsync(run.TablePath(CanaryExposure.TableName), exposure).GetAwaiter().GetResult();
        ExposureHistogramPlot.Save(Path.Combine(run.Path, ExposureProbe.HistogramFile),
            exposure.Select(e => e.ExposureBits).ToArray(), exposure.Max(e => e.Log2Space));
        if (samples.Count > 0) ParquetTable<ExposureSample>.WriteAsync(run.TablePath(ExposureSample.TableName), samples).GetAwaiter().GetResult();
        Results = exposure;
        return new ProbeOutcome(exposure.Select(ExposureProbe.ToFinding).ToList());
    }

    public override ProbeOutcome ReadBack(LmProbeContext context, CompletedProbes done)
    {
        Results = ExposureTable.ReadAsync(done.TablePath(Name, CanaryExposure.TableName)).GetAwaiter().GetResult();
        return new ProbeOutcome(done.FindingsOf(Name));
    }
}
