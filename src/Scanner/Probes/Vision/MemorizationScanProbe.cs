using System.Globalization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes.Vision;

/// <summary>Memorization scores in a vision scan: k-NN label memorization, Feldman-Zhang, critical sample ratio.</summary>
public sealed class MemorizationScanProbe : ScanProbe<VisionProbeContext>
{
    public MemorizationResult? Result { get; private set; }

    public override string Name => MemorizationProbe.Name;
    public override IReadOnlyList<string> Tables => [MemorizationRow.TableName, MemorizationSummaryRow.TableName];

    public override IReadOnlyDictionary<string, string> Settings(VisionProbeContext context)
    {
        var c = CultureInfo.InvariantCulture;
        var s = context.Memorization;
        return new Dictionary<string, string>
        {
            ["examples"] = context.ExamplesPath ?? "", ["references"] = context.UseReferences ? "on" : "off",
            ["embedding_output"] = context.EmbeddingOutput ?? "",
            ["k"] = s.K.ToString(c), ["csr_examples"] = s.Csr.Examples.ToString(c),
            ["csr_radius"] = s.Csr.Radius.ToString(c), ["csr_steps"] = s.Csr.Steps.ToString(c),
        };
    }

    public override ProbeSkip? CannotRun(VisionProbeContext context) =>
        context.Examples is null ? new ProbeSkip("no examples with known membership") : null;

    public override void Prepare(VisionProbeContext context) => _ = context.Predictions;

    public override ProbeOutcome Run(VisionProbeContext context, RunFolder run)
    {
        context.Log($"memorization scores (k-NN, Feldman-Zhang, critical samples on {context.Memorization.Csr.Examples} examples)");
        var family = context.Predictions;
        Result = MemorizationProbe.Run(context.Examples!, family.Target, family.References, context.Model, context.TrainingMode, context.Memorization, run);
        return new ProbeOutcome(Result.Findings, Result.Notes);
    }

    public override ProbeOutcome ReadBack(VisionProbeContext context, CompletedProbes done)
    {
        var summary = done.Rows<MemorizationSummaryRow>(Name);
        if (summary.Count != 1)
            throw new MemScanException($"run {done.Run.RunId}: {done.Run.TablePath(MemorizationSummaryRow.TableName)} holds {summary.Count} rows, the probe writes 1; start a new run");
        // The probe makes 0 to 2 findings depending on its inputs, k-NN ("model") before Feldman-Zhang;
        // findings.parquet sorts by severity, so the probe's order is restored.
        var findings = done.FindingsOf(Name).OrderBy(f => f.Subject == "model" ? 0 : 1).ToList();
        Result = new MemorizationResult(done.Rows<MemorizationRow>(Name), summary[0], findings, done.NotesOf(Name));
        return new ProbeOutcome(Result.Findings, Result.Notes);
    }
}
