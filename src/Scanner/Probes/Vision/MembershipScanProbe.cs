using System.Globalization;
using MemScan.Scanner.Metrics;
using MemScan.Scanner.Results;
using MemScan.Scanner.Vision;

namespace MemScan.Scanner.Probes.Vision;

/// <summary>Membership inference on a classifier's examples, in a vision scan: its summaries, per-example scores.</summary>
public sealed class MembershipScanProbe : ScanProbe<VisionProbeContext>
{
    public MembershipResult? Result { get; private set; }

    public override string Name => MembershipProbe.Name;
    public override IReadOnlyList<string> Tables => [MiaSummary.TableName, MiaExampleRow.TableName];

    public override IReadOnlyDictionary<string, string> Settings(VisionProbeContext context) => new Dictionary<string, string>
    {
        ["examples"] = context.ExamplesPath ?? "", ["references"] = context.UseReferences ? "on" : "off",
        ["resamples"] = context.Membership.Resamples.ToString(CultureInfo.InvariantCulture),
        ["rmia_a"] = context.Membership.RmiaA?.ToString(CultureInfo.InvariantCulture) ?? "tuned",
    };

    public override ProbeSkip? CannotRun(VisionProbeContext context) =>
        context.Examples is not { } examples ? new ProbeSkip("no examples with known membership")
        : examples.Rows.Any(r => r.Role == ExampleRow.Member) && examples.Rows.Any(r => r.Role == ExampleRow.NonMember) ? null
        : new ProbeSkip("the examples hold no members and non-members to compare");

    public override void Prepare(VisionProbeContext context) => _ = context.Predictions;

    public override ProbeOutcome Run(VisionProbeContext context, RunFolder run)
    {
        context.Log("membership inference");
        var family = context.Predictions;
        Result = MembershipProbe.Run(context.Examples!, family.Target, family.References, context.Membership, run);
        return new ProbeOutcome([Result.Finding], Result.Notes);
    }

    public override ProbeOutcome ReadBack(VisionProbeContext context, CompletedProbes done)
    {
        Result = new MembershipResult(done.Rows<MiaSummary>(Name), done.Rows<MiaExampleRow>(Name), done.NotesOf(Name), done.FindingOf(Name, "model"));
        return new ProbeOutcome([Result.Finding], Result.Notes);
    }
}
