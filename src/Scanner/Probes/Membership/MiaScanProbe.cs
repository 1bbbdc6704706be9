using MemScan.Scanner.Metrics;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes.Membership;

/// <summary>The membership-inference probe in a language-model scan: mia.parquet, roc.parquet, mia_scores.parquet, mia_slices.parquet.</summary>
public sealed class MiaScanProbe : ScanProbe<LmProbeContext>
{
    /// <summary>One summary per attack, measured or read back.</summary>
    public IReadOnlyList<MiaSummary> Summaries { get; private set; } = [];

    /// <summary>Model rows spent on the reference models (0 when read back).</summary>
    public long ReferenceQueries { get; private set; }

    public override string Name => MiaProbe.Name;
    public override IReadOnlyList<string> Tables => [MiaSummary.TableName, RocRow.TableName, MiaScoreRow.TableName, MiaSliceRow.TableName];

    public override IReadOnlyDictionary<string, string> Settings(LmProbeContext context) =>
        MiaProbe.Describe(context.Mia, context.Model.MaxSequenceLength);

    /// <summary>
    /// Named in --probes: runs, and says what is missing when it cannot (an error, not a skip). By
    /// default (no --probes): runs when membership inputs were set up on purpose (sample files,
    /// --reference, the family's membership.parquet), not merely because the manifest lists the
    /// discoverable probe's samples.
    /// </summary>
    public override ProbeSkip? CannotRun(LmProbeContext context)
    {
        if (context.Requested.Contains(Name))
        {
            if (!MiaProbe.HasInputs(context.ModelPath, context.Manifest, context.Mia))
                throw new MemScanException("the mia probe needs members and non-members: pass --members and --non-members, " +
                                           $"or scan a model whose manifest names both sample files or whose folder holds {MembershipRow.FileName}");
            return null;
        }
        bool setUp = context.Mia.MembersFile is not null || context.Mia.References.Count > 0 ||
                     File.Exists(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(context.ModelPath))!, MembershipRow.FileName));
        return context.Requested.Count == 0 && setUp ? null : new ProbeSkip("no membership inputs set up (--members, --reference or membership.parquet)");
    }

    public override ProbeOutcome Run(LmProbeContext context, RunFolder run)
    {
        var mia = new MiaProbe(context.Model, context.Tokenizer, context.Mia, context.OpenModel, context.Log)
            .Run(context.ModelPath, context.Manifest, context.ManifestPath);
        MiaProbe.Write(run, mia);
        Summaries = mia.Summaries;
        ReferenceQueries = mia.ReferenceQueries;
        return new ProbeOutcome(mia.Findings);
    }

    public override ProbeOutcome ReadBack(LmProbeContext context, CompletedProbes done)
    {
        Summaries = done.Rows<MiaSummary>(Name);
        return new ProbeOutcome(done.FindingsOf(Name));
    }
}
