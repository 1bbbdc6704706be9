using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;

namespace MemScan.Bench.Gpt124m;

/// <summary>
/// The same GPT-2-small-sized model exported as float32 (the Trainer's model.onnx), int8 (dynamic
/// quantization: DynamicQuantizeLinear + MatMulInteger, fused by ORT into DynamicQuantizeMatMul) and
/// float16 (weights, caches and logits): the exposure tree through <c>memscan scan --in-process</c>
/// (rows/s, the canary's rank and bits, peak RSS of the logits path) and batched scoring in this
/// process, in interleaved rounds so that a noisy machine slows both sides alike.
/// </summary>
public static class PrecisionBench
{
    const int ScoringRows = 128, ScoringTokens = 32, Rounds = 2;

    public static void Run(Gpt124mModels m, OnnxSessionOptions options, string runs, string threads, double peak, string logs, TextWriter log)
    {
        var c = m.Canary;
        string[] ThirdParty(string dir) => ["scan", dir, "--runs", runs, "--threads", threads, "--in-process", "--probes", "exposure", "--samples", "0",
            "--canary", c.Template, "--space", c.Space.ToString(), "--secret", c.Secret];
        var models = new (string Name, string Path, string[] Args, string CanaryId)[]
        {
            ("float32", m.ModelPath, ["scan", m.ModelPath, "--runs", runs, "--threads", threads, "--in-process", "--probes", "exposure", "--samples", "0"], c.Id),
            ("int8", m.Int8Dir, ThirdParty(m.Int8Dir), "cli-1"),
            ("float16", m.Float16Dir, ThirdParty(m.Float16Dir), "cli-1"),
        };

        log.WriteLine();
        log.WriteLine($"float32, int8 and float16 exports of GPT {m.Shape.Layers}x{m.Shape.Dim}: exposure tree (memscan scan --in-process --probes exposure) and batched scoring ({ScoringRows} × {ScoringTokens} tokens, best of {Rounds} interleaved rounds)");
        var exposure = models.Select(x => (x.Name, Result: ChildRun.Run(x.Args, log, Path.Combine(logs, $"precision-{x.Name}.txt")), x.CanaryId)).ToList();

        var sessions = models.Select(x => OnnxLanguageModel.Open(x.Path, null, options)).ToArray();
        try
        {
            var random = new Random(124);
            var sequences = Enumerable.Range(0, ScoringRows).Select(_ => Enumerable.Range(0, ScoringTokens).Select(_ => random.Next(m.Shape.Vocab)).ToArray()).ToArray();
            foreach (var s in sessions) s.MaxBatch = 64;
            var best = new double[sessions.Length];
            Array.Fill(best, double.MaxValue);
            foreach (var s in sessions) s.TokenLogProbs(sequences[..8]); // warm-up
            for (int round = 0; round < Rounds; round++)
                for (int i = 0; i < sessions.Length; i++)
                {
                    var watch = System.Diagnostics.Stopwatch.StartNew();
                    sessions[i].TokenLogProbs(sequences);
                    best[i] = Math.Min(best[i], watch.Elapsed.TotalSeconds);
                }

            double scoringFlops = Gpt124mBench.FlopsPerToken(m.Shape, (ScoringTokens + 1) / 2.0);
            double? fpExposure = null, fpScoring = null;
            log.WriteLine("| export | model.onnx | exposure rows/s | vs float32 | rank | bits | peak RSS (exposure) | vs float32 | batched scoring tokens/s | vs float32 | GFLOP/s (float32-equivalent) |");
            log.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            double? fpRss = null;
            for (int i = 0; i < models.Length; i++)
            {
                var (name, r, id) = exposure[i];
                var rows = Gpt124mProbe.ParseRows(r.Output);
                var ranked = Gpt124mProbe.ParseExposure(r.Output, id);
                double exposureRate = rows is { } x ? x.Rows / x.Seconds : double.NaN;
                double scoring = ScoringRows * ScoringTokens / best[i];
                fpExposure ??= exposureRate;
                fpScoring ??= scoring;
                fpRss ??= r.ScannerPeakMiB;
                string file = Directory.Exists(models[i].Path) ? Path.Combine(models[i].Path, "model.onnx") : models[i].Path;
                log.WriteLine($"| {name} | {Gpt124mModels.FileSize(file)} | {exposureRate:N0} | {exposureRate / fpExposure:F2}x | {ranked?.Rank ?? "?"} | {ranked?.Bits ?? "?"} | " +
                              $"{r.ScannerPeakMiB:N0} MiB | {r.ScannerPeakMiB / fpRss:F2}x | {scoring:N0} | {scoring / fpScoring:F2}x | {scoring * scoringFlops / 1e9:F1} ({scoring * scoringFlops / 1e9 / peak:P0}) |");
            }
            log.WriteLine($"  scoring: {scoringFlops / 1e6:F0} MFLOP per token (mean context {(ScoringTokens + 1) / 2}); int8's GFLOP/s count the same multiply-adds as float32's");
        }
        finally
        {
            foreach (var s in sessions) s.Dispose();
        }
    }
}
