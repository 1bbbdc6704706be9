using MemScan.Scanner.Canaries;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Tokenizers;
using MemScan.Trainer.Export;
using MemScan.Trainer.Training;
using static TorchSharp.torch;

namespace MemScan.Bench;

/// <summary>
/// Candidates scored per second for one canary of a 10^digits space on the same char-LSTM, four
/// ways: (a)-(c') through <see cref="ScoringComparison"/>, (d) TorchSharp eager, batched full sequences.
/// </summary>
public static class LstmScoringBench
{
    public const string Prefix = "the alarm code for the server room is ";

    /// <summary>Trains a few steps (real weights, not a random init) and exports to ONNX.</summary>
    public static (BenchModel Model, CharTokenizer Tokenizer, MemScan.Trainer.Models.CharLstmLm Torch) Prepare(BenchOptions o, string work, TextWriter log)
    {
        log.WriteLine($"training a char-LSTM (hidden {o.Hidden}) for a few steps to get real weights ...");
        var config = new LmTrainConfig
        {
            Corpus = "moby-dick", MaxChars = 200_000, Steps = 30, Hidden = o.Hidden, Embedding = 48, Layers = 1, Seed = 3,
            Threads = o.Threads, Canaries = [],
        };
        string text = TrainingCorpus.Load(config.Corpus, config.MaxChars).Text;
        var tokenizer = CharTokenizer.FromText(text, minCount: 1, mustInclude: Prefix + "0123456789");
        var trained = LmTrainer.Train(text, tokenizer, config);
        string onnx = Path.Combine(work, $"lstm{o.Hidden}.onnx");
        CharLstmOnnxExporter.Export(trained.Model, onnx);
        var space = RandomnessSpace.Parse($"digits:{o.Digits}");
        var trie = new UniformCandidateTrie(space.Alphabet.Select(tokenizer.IdOf).ToArray(), space.Length);
        var prompts = Enumerable.Range(0, 8).Select(i => tokenizer.Encode(text.Substring(1000 + 997 * i, 32))).ToArray();
        // One LSTM step: 4 gates × hidden × (embedding + hidden) multiply-adds, plus the output layer.
        double flops = 2.0 * 4 * o.Hidden * (48 + o.Hidden) + 2.0 * o.Hidden * tokenizer.VocabSize;
        var model = new BenchModel($"char-LSTM hidden {o.Hidden}", onnx, tokenizer.Encode(Prefix), trie,
            Math.Min(BenchModel.DefaultSecret, trie.CandidateCount - 1), prompts, _ => flops);
        return (model, tokenizer, trained.Model);
    }

    public static (IReadOnlyList<Measured> Rows, ScoringComparison Comparison) Run(BenchModel m, MemScan.Trainer.Models.CharLstmLm torchModel,
        BenchOptions o, OnnxLanguageModel lm)
    {
        var cmp = new ScoringComparison(lm, m.RootTokens, m.Trie, m.Secret);
        var rows = new List<Measured> { cmp.Naive(1000), cmp.Batched(20_000, o.Batch) };
        var (full, pruned) = cmp.Tree(o.Batch);
        rows.Add(full);
        rows.Add(pruned);

        // TorchSharp eager is slow on this shape: fewer candidates keep the run short (the rate is per second).
        var sequences = cmp.Spread(4_000).Select(cmp.FullSequence).ToArray();
        double d = Timing.BestSeconds(() =>
        {
            using var _ = no_grad();
            for (int start = 0; start < sequences.Length; start += o.Batch)
            {
                using var scope = NewDisposeScope();
                int n = Math.Min(o.Batch, sequences.Length - start);
                int t = sequences[start].Length;
                var ids = sequences.Skip(start).Take(n).SelectMany(s => s.Select(x => (long)x)).ToArray();
                var input = tensor(ids, [n, t]);
                var (logits, _, _) = torchModel.forward(input, null);
                var logProbs = nn.functional.log_softmax(logits.narrow(1, 0, t - 1), -1);
                logProbs.gather(-1, input.narrow(1, 1, t - 1).unsqueeze(-1)).sum(1).data<float>().ToArray();
            }
        }, repetitions: 1);
        rows.Add(new Measured($"(d) TorchSharp eager, batched ({o.Batch}/call)", sequences.Length / d, $"{sequences.Length:N0} candidates, {d:F1}s"));
        return (rows, cmp);
    }
}
