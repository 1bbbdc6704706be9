using MemScan.Scanner.Results;
using MemScan.Scanner.Vision;
using Spectre.Console;

namespace MemScan.Scanner.Reports;

/// <summary>The console report of a classifier scan: one table per probe, findings, notes, and where the results are.</summary>
public static class VisionReport
{
    public static void Print(VisionScanResult r)
    {
        if (r.Membership is { } mia)
        {
            var table = new Table().Title($"[bold]Membership inference[/] ({mia.Summaries[0].Members} members / {mia.Summaries[0].NonMembers} non-members, {r.References} references)")
                .AddColumn("attack").AddColumn(new TableColumn("AUC").RightAligned()).AddColumn(new TableColumn("95% CI").RightAligned())
                .AddColumn(new TableColumn("TPR@1%FPR").RightAligned()).AddColumn(new TableColumn("TPR@0.1%FPR").RightAligned())
                .AddColumn(new TableColumn("advantage").RightAligned());
            foreach (var s in mia.Summaries)
                table.AddRow(s.Attack, s.Auc.ToString("F3"), $"{s.AucLow:F3}-{s.AucHigh:F3}", s.TprAt1PctFpr.ToString("P1"),
                    s.TprAt0Point1PctFpr.ToString("P1"), s.Advantage.ToString("F3"));
            AnsiConsole.Write(table);
        }
        if (r.Audit is { } audit)
        {
            var table = new Table().Title("[bold]Canary audit[/] (epsilon lower bounds at 95% confidence)")
                .AddColumn("score").AddColumn("kind").AddColumn("test").AddColumn(new TableColumn("n(in)").RightAligned())
                .AddColumn(new TableColumn("guess").RightAligned()).AddColumn(new TableColumn("right").RightAligned())
                .AddColumn(new TableColumn("eps>=").RightAligned()).AddColumn(new TableColumn("ceil").RightAligned())
                .AddColumn(new TableColumn("ceil(all)").RightAligned());
            // The console shows every score on all canaries and the loss score per kind; audit.parquet has every row.
            foreach (var a in audit.Rows.Where(a => a.CanaryKind == "all" || a.Score == "loss"))
                table.AddRow(a.Score.Replace("lira_", "lira ").Replace("_fixed", " fixed"), a.CanaryKind, a.Method == "threshold" ? "thresh" : a.Method, $"{a.Canaries} ({a.Included})", a.Guesses.ToString(), a.Correct?.ToString() ?? "-",
                    a.EpsilonLowerBound.ToString("F2"), a.Ceiling.ToString("F2"), a.CeilingAllCanaries?.ToString("F2") ?? "-");
            AnsiConsole.Write(table);
        }
        if (r.Memorization is { } m)
        {
            var s = m.Summary;
            var table = new Table().Title($"[bold]Memorization[/] (training mode: {Markup.Escape(s.TrainingMode.Length > 0 ? s.TrainingMode : "unknown")})")
                .AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
            table.AddRow("training examples", s.TrainExamples.ToString());
            table.AddRow("DNN train accuracy", s.DnnTrainAccuracy.ToString("P1"));
            table.AddRow($"{s.KnnK}-NN train accuracy (embedding, leave-one-out)", double.IsNaN(s.KnnTrainAccuracy) ? "-" : s.KnnTrainAccuracy.ToString("P1"));
            table.AddRow($"DNN right, k-NN wrong: pool members / canaries ('{Markup.Escape(s.EmbeddingTensor)}')",
                double.IsNaN(s.DnnNotKnnRate) ? "-" : $"{s.DnnNotKnnRate:P1} / {(double.IsNaN(s.DnnNotKnnRateCanaries) ? "-" : s.DnnNotKnnRateCanaries.ToString("P1"))}");
            table.AddRow("mean k-NN label agreement", double.IsNaN(s.KnnAgreementMean) ? "-" : s.KnnAgreementMean.ToString("F3"));
            table.AddRow($"Feldman-Zhang mean: pool / mislabeled / noise ({s.FzModels} models)",
                $"{F(s.FzMeanPool)} / {F(s.FzMeanMislabeled)} / {F(s.FzMeanNoise)}");
            table.AddRow("examples with FZ memorization >= 0.5", s.FzHigh.ToString());
            table.AddRow($"critical sample ratio (r = {s.CsrRadius:G3}, {s.CsrSteps} steps, {s.CsrExamples} members)", double.IsNaN(s.Csr) ? "-" : s.Csr.ToString("P1"));
            AnsiConsole.Write(table);
        }
        if (r.Predictions is { } p)
        {
            var st = p.Stats;
            var table = new Table().Title($"[bold]Prediction statistics[/] ({Markup.Escape(r.Profile.Name)})")
                .AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
            table.AddRow("images", st.Images.ToString());
            table.AddRow("mean / median max probability", $"{st.MeanMaxProbability:F3} / {st.MedianMaxProbability:F3}");
            table.AddRow("share with max probability >= 0.99", st.ConfidentShare.ToString("P1"));
            table.AddRow("mean entropy (nats, max ln K)", $"{st.MeanEntropy:F3} (max {st.MaxEntropy:F3})");
            if (st.Accuracy is { } acc) table.AddRow($"accuracy on {st.Labelled} labelled images", acc.ToString("P1"));
            table.AddRow("predicted classes", Markup.Escape(string.Join(", ", st.PredictedCounts.Select(kv =>
                $"{(kv.Key < r.Profile.ClassNames.Count ? r.Profile.ClassNames[kv.Key] : kv.Key.ToString())}: {kv.Value}"))));
            AnsiConsole.Write(table);
        }
        var findings = new Table().Title("[bold]Findings[/]").AddColumn("severity").AddColumn("probe").AddColumn("subject").AddColumn("evidence");
        foreach (var f in r.Findings.OrderByDescending(f => f.Severity))
            findings.AddRow(SeverityMarkup.Label(f.Severity), f.Probe, Markup.Escape(f.Subject), Markup.Escape(f.Evidence));
        AnsiConsole.Write(findings);
        foreach (var note in r.Notes.Distinct()) AnsiConsole.MarkupLine($"[grey]note: {Markup.Escape(note)}[/]");
        AnsiConsole.MarkupLine($"results: [bold]{Markup.Escape(r.Run.Path)}[/] ({r.Queries:N0} images through the models in {r.Seconds:F1}s)");
    }

    static string F(double? v) => v is { } x ? x.ToString("F2") : "-";

}
