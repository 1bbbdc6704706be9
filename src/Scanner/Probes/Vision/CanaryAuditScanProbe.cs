using System.Globalization;
using MemScan.Scanner.Results;
using MemScan.Scanner.Vision;

namespace MemScan.Scanner.Probes.Vision;

/// <summary>The canary audit in a vision scan: guesses of which canaries were trained on, and the ε they prove.</summary>
public sealed class CanaryAuditScanProbe : ScanProbe<VisionProbeContext>
{
    public const string Skipped = "canary audit skipped: the examples hold no canaries with both included and excluded ones";

    public AuditResult? Result { get; private set; }

    public override string Name => CanaryAuditProbe.Name;
    public override IReadOnlyList<string> Tables => [AuditRow.TableName];

    public override IReadOnlyDictionary<string, string> Settings(VisionProbeContext context)
    {
        var c = CultureInfo.InvariantCulture;
        return new Dictionary<string, string>
        {
            ["examples"] = context.ExamplesPath ?? "", ["references"] = context.UseReferences ? "on" : "off",
            ["alpha"] = context.Audit.Alpha.ToString(c), ["delta"] = context.Audit.Delta.ToString(c),
            ["guess_fraction"] = context.Audit.GuessFraction.ToString(c),
        };
    }

    /// <summary>
    /// The audit's game needs canaries on both sides; decided from the examples alone, before any
    /// inference, so a resume of a run without such canaries does not score the family again for it.
    /// </summary>
    public override ProbeSkip? CannotRun(VisionProbeContext context) =>
        context.Examples is not { } examples ? new ProbeSkip("no examples with known membership")
        : examples.Rows.Any(r => r.Role == ExampleRow.Canary && r.Included) && examples.Rows.Any(r => r.Role == ExampleRow.Canary && !r.Included) ? null
        : new ProbeSkip(Skipped, Noted: true);

    public override void Prepare(VisionProbeContext context) => _ = context.Predictions;

    public override ProbeOutcome Run(VisionProbeContext context, RunFolder run)
    {
        context.Log("canary audit");
        var family = context.Predictions;
        Result = CanaryAuditProbe.Run(context.Examples!, family.Target, family.References, context.ClaimedEpsilon, context.Audit, run);
        // Unreachable while the probe and CannotRun agree; kept so a disagreement is a note, not a crash.
        return Result is null ? new ProbeOutcome([], [Skipped], Completed: false) : new ProbeOutcome([Result.Finding]);
    }

    public override ProbeOutcome ReadBack(VisionProbeContext context, CompletedProbes done)
    {
        var rows = done.Rows<AuditRow>(Name);
        Result = new AuditResult(rows, CanaryAuditProbe.Headline(rows), done.FindingOf(Name, "canaries"));
        return new ProbeOutcome([Result.Finding]);
    }
}
