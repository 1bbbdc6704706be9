using MemScan.Scanner.Models;
using MemScan.Scanner.Results;
using MemScan.Scanner.Vision;

namespace MemScan.Scanner.Probes.Vision;

public sealed record MemorizationSettings
{
    public int K { get; init; } = 10;
    public CsrSettings Csr { get; init; } = new();
}

public sealed record MemorizationResult(IReadOnlyList<MemorizationRow> Rows, MemorizationSummaryRow Summary, IReadOnlyList<Finding> Findings, IReadOnlyList<string> Notes);

/// <summary>
/// Memorization scores of a classifier's examples: DNN vs k-NN in the target's own embedding space
/// (Cohen et al. 2018), Feldman–Zhang label memorization from the family's models (Feldman &amp;
/// Zhang 2020, "What Neural Networks Memorize and Why", estimated with the reference models as
/// the subsampled models) and the critical sample ratio (Arpit et al. 2017). Writes
/// memorization.parquet and memorization_summary.parquet.
/// </summary>
public static class MemorizationProbe
{
    public const string Name = "memorization";

    public static MemorizationResult Run(ExampleSet examples, ModelPredictions target, IReadOnlyList<ModelPredictions> references,
        OnnxClassifier model, string trainingMode, MemorizationSettings settings, RunFolder run)
    {
        var rows = examples.Rows;
        int n = rows.Count, classes = target.Output.Classes;
        bool Member(int i) => rows[i].Role == ExampleRow.Member || (rows[i].Role == ExampleRow.Canary && rows[i].Included);
        var train = Enumerable.Range(0, n).Where(Member).ToArray();
        var predicted = Enumerable.Range(0, n).Select(i => target.Scores(i, rows[i].Label).Predicted).ToArray();
        var notes = new List<string>();

        // DNN vs k-NN over the training embeddings
        (int Label, double Agreement)[]? knn = null;
        var emb = target.Output;
        if (emb.Embeddings is not null && train.Length >= 2)
        {
            int d = emb.EmbeddingSize;
            var trainEmb = new float[train.Length * d];
            var rowInTrain = Enumerable.Repeat(-1, n).ToArray();
            for (int t = 0; t < train.Length; t++)
            {
                emb.EmbeddingOf(train[t]).CopyTo(trainEmb.AsSpan(t * d, d));
                rowInTrain[train[t]] = t;
            }
            knn = KnnLabels.Compute(trainEmb, train.Select(i => rows[i].Label).ToArray(), emb.Embeddings,
                rows.Select(r => r.Label).ToArray(), rowInTrain, d, settings.K, classes);
        }
        else notes.Add("no embedding output: k-NN agreement skipped (name one in the profile or use --add-embedding-output)");

        // Feldman–Zhang over every model whose membership is known
        var family = references.Prepend(target).Where(m => m.IsMember is not null).ToList();
        var fz = new (double? Mem, int In, int Out)[n];
        for (int i = 0; i < n; i++)
        {
            int inCount = 0, outCount = 0, inCorrect = 0, outCorrect = 0;
            foreach (var m in family)
            {
                bool correct = ArgMax(m.Output.LogitsOf(i)) == rows[i].Label;
                if (m.IsMember![i]) { inCount++; if (correct) inCorrect++; }
                else { outCount++; if (correct) outCorrect++; }
            }
            fz[i] = (inCount > 0 && outCount > 0 ? (double)inCorrect / inCount - (double)outCorrect / outCount : null, inCount, outCount);
        }
        if (family.Count < 2) notes.Add("Feldman-Zhang memorization needs the target plus reference models with known membership");

        // Critical samples among training members (pool members first, then included canaries)
        var csrPick = train.OrderBy(i => rows[i].Role == ExampleRow.Canary ? 1 : 0).ThenBy(i => i).Take(settings.Csr.Examples).ToArray();
        var csr = new CriticalSampleRatio.Outcome?[n];
        if (csrPick.Length > 0 && settings.Csr.Examples > 0)
        {
            var found = CriticalSampleRatio.Search(model, examples.Images.Pixels, csrPick, settings.Csr);
            for (int j = 0; j < csrPick.Length; j++) csr[csrPick[j]] = found[j];
        }

        var table = Enumerable.Range(0, n).Select(i => new MemorizationRow
        {
            ExampleId = rows[i].ExampleId,
            Role = rows[i].Role,
            CanaryKind = rows[i].CanaryKind,
            IsMember = Member(i),
            Label = rows[i].Label,
            Predicted = predicted[i],
            KnnLabel = knn?[i].Label,
            KnnAgreement = knn?[i].Agreement,
            DnnNotKnn = knn is null || !Member(i) ? null : predicted[i] == rows[i].Label && knn[i].Label != rows[i].Label,
            FzMemorization = fz[i].Mem,
            FzInModels = fz[i].In,
            FzOutModels = fz[i].Out,
            Critical = csr[i]?.Critical,
            CriticalSteps = csr[i]?.Steps,
        }).ToList();

        var trainRows = train.Select(i => table[i]).ToList();
        var poolRows = trainRows.Where(r => r.Role != ExampleRow.Canary).ToList();
        var canaryRows = trainRows.Where(r => r.Role == ExampleRow.Canary).ToList();
        double Share(List<MemorizationRow> rs) => knn is null || rs.Count == 0 ? double.NaN : rs.Average(r => r.DnnNotKnn == true ? 1.0 : 0.0);
        double? MeanFz(Func<MemorizationRow, bool> which) =>
            table.Where(r => which(r) && r.FzMemorization is not null).Select(r => r.FzMemorization!.Value).DefaultIfEmpty(double.NaN).Average() is var v && !double.IsNaN(v) ? v : null;
        var searched = table.Where(r => r.Critical is not null).ToList();
        var summary = new MemorizationSummaryRow
        {
            TrainingMode = trainingMode,
            TrainExamples = train.Length,
            KnnK = settings.K,
            DnnTrainAccuracy = trainRows.Count == 0 ? double.NaN : trainRows.Average(r => r.Predicted == r.Label ? 1.0 : 0.0),
            KnnTrainAccuracy = knn is null || trainRows.Count == 0 ? double.NaN : trainRows.Average(r => r.KnnLabel == r.Label ? 1.0 : 0.0),
            DnnNotKnnRate = Share(poolRows),
            DnnNotKnnRateCanaries = Share(canaryRows),
            EmbeddingTensor = model.Profile.Embedding ?? "",
            KnnAgreementMean = knn is null || trainRows.Count == 0 ? double.NaN : trainRows.Average(r => r.KnnAgreement!.Value),
            FzModels = family.Count,
            FzMeanPool = MeanFz(r => r.Role != ExampleRow.Canary),
            FzMeanMislabeled = MeanFz(r => r.CanaryKind == ExampleRow.Mislabeled),
            FzMeanNoise = MeanFz(r => r.CanaryKind == ExampleRow.Noise),
            FzHigh = table.Count(r => r.FzMemorization >= 0.5),
            CsrExamples = searched.Count,
            CsrRadius = settings.Csr.Radius,
            CsrSteps = settings.Csr.Steps,
            Csr = searched.Count == 0 ? double.NaN : searched.Average(r => r.Critical == true ? 1.0 : 0.0),
        };
        ParquetTable<MemorizationRow>.WriteAsync(run.TablePath(MemorizationRow.TableName), table).GetAwaiter().GetResult();
        ParquetTable<MemorizationSummaryRow>.WriteAsync(run.TablePath(MemorizationSummaryRow.TableName), [summary]).GetAwaiter().GetResult();

        var findings = new List<Finding>();
        if (knn is not null)
            findings.Add(new Finding
            {
                Probe = Name,
                Subject = "model",
                Severity = VisionSeverity.Memorization(summary.DnnNotKnnRate),
                Score = summary.DnnNotKnnRate,
                ScoreName = "dnn_not_knn_rate",
                MaxScore = 1,
                Evidence = $"{summary.DnnNotKnnRate:P1} of {poolRows.Count} pool training examples (and {summary.DnnNotKnnRateCanaries:P1} of {canaryRows.Count} included canaries) " +
                           $"are labelled right by the network but not by its own {settings.K}-NN on '{summary.EmbeddingTensor}' " +
                           $"(DNN train accuracy {summary.DnnTrainAccuracy:P1}, k-NN {summary.KnnTrainAccuracy:P1}); " +
                           (double.IsNaN(summary.Csr) ? "no critical-sample search" : $"critical sample ratio {summary.Csr:P1} of {summary.CsrExamples} at r = {settings.Csr.Radius:G3}"),
                Queries = model.Queries,
                CreatedUtc = DateTime.UtcNow,
            });
        if (family.Count >= 2)
        {
            var top = table.Where(r => r.FzMemorization is not null).OrderByDescending(r => r.FzMemorization).Take(3).ToList();
            findings.Add(new Finding
            {
                Probe = Name,
                Subject = "feldman-zhang",
                Severity = summary.FzHigh == 0 ? Severity.Info : summary.FzHigh >= 0.05 * n ? Severity.Medium : Severity.Low,
                Score = summary.FzHigh,
                ScoreName = "examples_fz_memorization_ge_0_5",
                MaxScore = n,
                Evidence = $"{summary.FzHigh} of {n} examples have label memorization >= 0.5 over {family.Count} models " +
                           $"(mean: pool {summary.FzMeanPool:F2}, mislabeled canaries {summary.FzMeanMislabeled?.ToString("F2") ?? "-"}, noise canaries {summary.FzMeanNoise?.ToString("F2") ?? "-"}); " +
                           $"top: {string.Join(", ", top.Select(r => $"#{r.ExampleId} ({r.Role}{(r.CanaryKind is null ? "" : "/" + r.CanaryKind)}) {r.FzMemorization:F2}"))}",
                CreatedUtc = DateTime.UtcNow,
            });
        }
        return new MemorizationResult(table, summary, findings, notes);
    }

    static int ArgMax(ReadOnlySpan<float> v)
    {
        int best = 0;
        for (int j = 1; j < v.Length; j++) if (v[j] > v[best]) best = j;
        return best;
    }
}
