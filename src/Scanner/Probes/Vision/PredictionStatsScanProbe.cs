using System.Globalization;
using MemScan.Scanner.Results;
using MemScan.Scanner.Vision;

namespace MemScan.Scanner.Probes.Vision;

/// <summary>Prediction statistics in a vision scan: the one probe a foreign model (no known members) gets.</summary>
public sealed class PredictionStatsScanProbe : ScanProbe<VisionProbeContext>
{
    public PredictionStatsResult? Result { get; private set; }

    public override string Name => PredictionStatsProbe.Name;
    public override IReadOnlyList<string> Tables => [PredictionRow.TableName];

    public override IReadOnlyDictionary<string, string> Settings(VisionProbeContext context) => new Dictionary<string, string>
    {
        ["images"] = context.Images ?? "", ["labels"] = context.LabelsPath is { } l ? Path.GetFullPath(l) : "",
        ["max_images"] = context.MaxImages.ToString(CultureInfo.InvariantCulture),
    };

    public override ProbeSkip? CannotRun(VisionProbeContext context) => context.ImagesSpec is null ? new ProbeSkip("no images") : null;

    public override ProbeOutcome Run(VisionProbeContext context, RunFolder run)
    {
        var model = context.Model;
        var images = ImageSources.Load(context.ImagesSpec!, context.MaxImages, context.LabelsPath);
        var fitted = ImageFitter.Fit(images, model.Channels, model.Height, model.Width, context.Profile.Resize);
        context.Log($"prediction statistics on {fitted.Count} images from {images.Name} ({images.Channels}×{images.Height}×{images.Width} → {model.Channels}×{model.Height}×{model.Width}, {context.Profile.Resize})");
        var output = new ModelPredictions("target", model.Run(fitted.Pixels, fitted.Count), null);
        Result = PredictionStatsProbe.Run(fitted, output, context.Profile.ClassNames, run, membersKnown: context.ExamplesPath is not null);
        return new ProbeOutcome([Result.Finding]);
    }

    /// <summary>The statistics recomputed from the table; their largest entropy is ln(the model's class count).</summary>
    public override ProbeOutcome ReadBack(VisionProbeContext context, CompletedProbes done)
    {
        var rows = done.Rows<PredictionRow>(Name);
        Result = new PredictionStatsResult(rows, PredictionStatsProbe.Summarize(rows, context.Model.Classes), done.FindingOf(Name, "model"));
        return new ProbeOutcome([Result.Finding]);
    }
}
