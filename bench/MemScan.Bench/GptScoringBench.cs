using MemScan.Scanner.Canaries;
using MemScan.Scanner.Models;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Tokenizers;
using MemScan.Trainer.Export;
using MemScan.Trainer.Models;
using MemScan.Trainer.Training;
using static TorchSharp.torch;

namespace MemScan.Bench;

/// <summary>
/// The same four ways on the product's GPT shape (GPT-2 BPE, vocabulary 50,257, tied head,
/// d = --gpt-dim, --gpt-layers layers, 4 heads): the tree carries the KV cache (past_key_values),
/// (d) is TorchSharp eager through <see cref="GptLm.Forward"/>.
/// </summary>
public static class GptScoringBench
{
    public const string Prefix = "the alarm code for the server room is ";
    const int Heads = 4;

    public static (BenchModel Model, Gpt2BpeTokenizer Tokenizer, GptLm Torch) Prepare(BenchOptions o, string work, TextWriter log)
    {
        log.WriteLine($"training a GPT ({o.GptLayers} layers × {o.GptDim}, vocabulary {GptShape.Gpt2Vocab:N0}) for a few steps ...");
        var tokenizer = Gpt2BpeTokenizer.CreateDefault();
        string text = TrainingCorpus.Load("spam-assassin", 60_000).Text;
        var ids = tokenizer.Encode(text).Select(i => (long)i).ToArray();
        var config = new GptTrainConfig
        {
            Steps = 4, BatchSize = 4, SequenceLength = 32, Dim = o.GptDim, Layers = o.GptLayers, Heads = Heads,
            Seed = 3, Threads = o.Threads, Canaries = [],
        };
        var trained = GptTrainer.Train(ids, GptShape.Gpt2Vocab, config);
        string onnx = Path.Combine(work, $"gpt{o.GptLayers}x{o.GptDim}.onnx");
        GptOnnxExporter.Export(trained.Model, onnx);

        var space = RandomnessSpace.Parse($"digits:{o.Digits}");
        long secret = Math.Min(BenchModel.DefaultSecret, (long)space.Size - 1);
        var canary = Canary.ThirdParty("pin", Prefix + Canary.Placeholder, space.At(secret), space);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var tree = CandidateTries.For(tokenizer, canary);
        log.WriteLine($"  BPE candidate tree of {space.Size:N0} candidates built in {watch.Elapsed.TotalSeconds:F1}s");
        var prompts = Enumerable.Range(0, 8).Select(i => tokenizer.Encode(text.Substring(2000 + 1997 * i, 400))[..16]).ToArray();
        int d = o.GptDim, layers = o.GptLayers;
        // Per token: QKV (3d²) + attention output (d²) + MLP (8d²) matmuls per layer, scores and
        // weighted values over `context` positions (2·d·context multiply-adds per layer), and the
        // tied head (d·V); FLOPs = 2 × multiply-adds. Embedding lookups, LayerNorm, softmax not counted.
        double Flops(int context) => 2.0 * (12.0 * d * d * layers + 2.0 * d * context * layers + (double)d * GptShape.Gpt2Vocab);
        var model = new BenchModel($"GPT {layers}x{d}", onnx, tree.RootTokens, tree.Trie, secret, prompts, Flops);
        return (model, tokenizer, trained.Model);
    }

    public static (IReadOnlyList<Measured> Rows, ScoringComparison Comparison, Measured ForwardOnly) Run(
        BenchModel m, GptLm torchModel, BenchOptions o, OnnxLanguageModel lm, int batch)
    {
        var cmp = new ScoringComparison(lm, m.RootTokens, m.Trie, m.Secret);
        const int batchedCount = 1024;
        var rows = new List<Measured> { cmp.Naive(100), cmp.Batched(batchedCount, batch) };
        var (full, pruned) = cmp.Tree(o.Batch);
        rows.Add(full);
        rows.Add(pruned);

        var sequences = cmp.Spread(batchedCount).Select(cmp.FullSequence).ToArray();
        var groups = sequences.GroupBy(s => s.Length).ToArray();
        double dSeconds = Timing.BestSeconds(() =>
        {
            using var _ = no_grad();
            foreach (var g in groups)
            {
                var rowsOfLength = g.ToArray();
                int t = g.Key;
                for (int start = 0; start < rowsOfLength.Length; start += batch)
                {
                    using var scope = NewDisposeScope();
                    int n = Math.Min(batch, rowsOfLength.Length - start);
                    var ids = rowsOfLength.Skip(start).Take(n).SelectMany(s => s.Select(x => (long)x)).ToArray();
                    var input = tensor(ids, [n, t]);
                    var (logits, _) = torchModel.Forward(input);
                    var logProbs = nn.functional.log_softmax(logits.narrow(1, 0, t - 1), -1);
                    logProbs.gather(-1, input.narrow(1, 1, t - 1).unsqueeze(-1)).sum(1).data<float>().ToArray();
                }
            }
        }, repetitions: 1);
        rows.Add(new Measured($"(d) TorchSharp eager GptLm.Forward ({batch}/call)", batchedCount / dSeconds, $"{batchedCount:N0} candidates, {dSeconds:F1}s"));

        // The ORT forward pass alone: the same batches, log-softmax of the last position only
        // (Advance without per-token log-probs), to separate the graph's cost from the scorer's.
        var initials = Enumerable.Repeat(lm.Initial, sequences.Length).ToArray();
        lm.MaxBatch = batch;
        double f = Timing.BestSeconds(() => lm.Advance(initials, sequences), repetitions: 2);
        lm.MaxBatch = o.Batch;
        var forward = new Measured("diagnostic: ORT forward, last-position log-softmax only", batchedCount / f, $"{sequences.Sum(s => s.Length) / f:N0} tokens/s");
        return (rows, cmp, forward);
    }
}
