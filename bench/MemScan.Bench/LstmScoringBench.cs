using MemScan.Scanner.Canaries;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Tokenizers;
using MemScan.Trainer.Export;
using MemScan.Trainer.Models;
using MemScan.Trainer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MemScan.Bench;

/// <summary>
/// Candidates scored per second for one canary of a 10^6 space on the same char-LSTM, four ways:
/// (a) one sequence per ONNX Runtime run, (b) batched full sequences, (c) the prefix-shared tree
/// with LSTM state carried (MemScan's exact exposure), (d) TorchSharp eager, batched full sequences.
/// </summary>
public sealed class LstmScoringBench(string workDir, int hidden, int threads)
{
    public const string Prefix = "the alarm code for the server room is ";

    public sealed record Result(string Name, double CandidatesPerSecond, long Candidates, double Seconds, string Note);

    public IReadOnlyList<Result> Run(TextWriter log)
    {
        log.WriteLine($"training a char-LSTM (hidden {hidden}) for a few steps to get real weights ...");
        var config = new LmTrainConfig
        {
            Corpus = "moby-dick", MaxChars = 200_000, Steps = 30, Hidden = hidden, Embedding = 48, Layers = 1, Seed = 3,
            Threads = threads, Canaries = [],
        };
        string text = TrainingCorpus.Load(config.Corpus, config.MaxChars).Text;
        var tokenizer = CharTokenizer.FromText(text, minCount: 1, mustInclude: Prefix + "0123456789");
        var trained = LmTrainer.Train(text, tokenizer, config);
        string onnx = Path.Combine(workDir, $"lstm{hidden}.onnx");
        CharLstmOnnxExporter.Export(trained.Model, onnx);

        var space = RandomnessSpace.Parse("digits:6");
        var prefixIds = tokenizer.Encode(Prefix);
        int[] Full(long i) => [.. prefixIds, .. tokenizer.Encode(space.At(i))];
        var results = new List<Result>();

        using var lm = OnnxLanguageModel.Open(onnx, null, new OnnxSessionOptions { IntraOpThreads = threads });

        // (a) naive: one row per run
        const int naiveCount = 1000;
        lm.MaxBatch = 1;
        double a = Timing.BestSeconds(() =>
        {
            for (int i = 0; i < naiveCount; i++) lm.Advance([lm.Initial], [Full(i)], out _);
        }, repetitions: 1);
        results.Add(new Result("(a) naive: one sequence per ONNX Runtime run", naiveCount / a, naiveCount, a, $"{prefixIds.Length + 6} tokens per candidate"));

        // (b) batched full sequences
        const int batchedCount = 20_000;
        lm.MaxBatch = 512;
        var sequences = Enumerable.Range(0, batchedCount).Select(i => Full(i)).ToArray();
        var initials = Enumerable.Repeat(lm.Initial, batchedCount).ToArray();
        double b = Timing.BestSeconds(() => lm.Advance(initials, sequences, out _), repetitions: 1);
        results.Add(new Result("(b) batched full sequences (512 per run)", batchedCount / b, batchedCount, b, ""));

        // (c) prefix-shared tree, exact rank of a secret over all 10^6 candidates (no pruning)
        var trie = new UniformCandidateTrie(space.Alphabet.Select(tokenizer.IdOf).ToArray(), space.Length);
        var root = lm.Advance([lm.Initial], [prefixIds])[0];
        long rows = 0;
        double c = Timing.BestSeconds(() =>
        {
            long before = lm.Queries;
            new ExactRankSearch(lm, 512).Rank(root, trie, 424_242, prune: false);
            rows = lm.Queries - before;
        }, repetitions: 1, warmUp: false);
        results.Add(new Result("(c) prefix-shared tree, LSTM state carried", trie.CandidateCount / c, trie.CandidateCount, c, $"{rows:N0} single-token rows"));
        double cPruned = Timing.BestSeconds(() => new ExactRankSearch(lm, 512).Rank(root, trie, 424_242, prune: true), repetitions: 1, warmUp: false);
        results.Add(new Result("(c') same, with pruning (random secret)", trie.CandidateCount / cPruned, trie.CandidateCount, cPruned, "exact rank, subtrees worse than the secret skipped"));

        // (d) TorchSharp eager, batched full sequences
        var model = trained.Model;
        double d = Timing.BestSeconds(() =>
        {
            using var _ = no_grad();
            for (int start = 0; start < batchedCount; start += 512)
            {
                using var scope = NewDisposeScope();
                int n = Math.Min(512, batchedCount - start);
                var ids = sequences.Skip(start).Take(n).SelectMany(s => s.Select(x => (long)x)).ToArray();
                var input = tensor(ids, [n, sequences[0].Length]);
                var (logits, _, _) = model.forward(input, null);
                var logProbs = nn.functional.log_softmax(logits.narrow(1, 0, sequences[0].Length - 1), -1);
                var next = input.narrow(1, 1, sequences[0].Length - 1).unsqueeze(-1);
                logProbs.gather(-1, next).sum(1).data<float>().ToArray();
            }
        }, repetitions: 1);
        results.Add(new Result("(d) TorchSharp eager, batched full sequences", batchedCount / d, batchedCount, d, ""));

        FlopsPerRow = 2.0 * 4 * hidden * (48 + hidden) + 2.0 * hidden * tokenizer.VocabSize;
        TreeRowsPerSecond = rows / c;
        return results;
    }

    /// <summary>Multiply-adds ×2 of one LSTM step plus the output layer.</summary>
    public double FlopsPerRow { get; private set; }
    public double TreeRowsPerSecond { get; private set; }
}
