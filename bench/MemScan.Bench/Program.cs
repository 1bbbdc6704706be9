using MemScan.Bench;
using MemScan.Bench.Tui;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Probes.Exposure;

// memscan-bench: every figure of docs/PERFORMANCE.md, measured side by side in one run.
if (args is ["--tui-child", ..])
    return await TriageUiBench.ChildMainAsync(args);
if (args is [MemScan.Bench.Gpt124m.Gpt124mBench.MemoryChildFlag, ..])
    return MemScan.Bench.Gpt124m.Gpt124mBench.MemoryChildMain(args);
if (args is [MemScan.Bench.Gpt124m.LoadMemoryBench.ChildFlag, ..])
    return MemScan.Bench.Gpt124m.LoadMemoryBench.ChildMain(args);
if (args is [MemScan.Bench.Gpt124m.HalfMemoryBench.ChildFlag, ..])
    return MemScan.Bench.Gpt124m.HalfMemoryBench.ChildMain(args);
BenchOptions o;
try { o = BenchOptions.Parse(args); }
catch (ArgumentException e) { Console.Error.WriteLine(e.Message); return 2; }
string work = Path.Combine(Path.GetTempPath(), "memscan-bench");
Directory.CreateDirectory(work);
if (o.Threads > 0) TorchSharp.torch.set_num_threads(o.Threads);
var log = Console.Out;
log.WriteLine($"memscan-bench on {Environment.ProcessorCount} cores ({Machine.CpuModel()}), ORT threads {(o.Threads == 0 ? "ORT default" : o.Threads)}, " +
              $"sections {string.Join(",", BenchOptions.Sections.Where(o.Runs))}, space digits:{o.Digits}");

var options = o.Session;
// the MatMul peak is only quoted by the model sections
bool needPeak = new[] { "lstm", "gpt", "decode", "isolation", "decodeloop", "tune", "train", "gpt124m" }.Any(o.Runs);
var (peak, peakDetail) = needPeak ? MatMulPeak.Measure(work, options, o.GptDim) : (0, "");
if (needPeak)
    log.WriteLine($"ONNX Runtime MatMul peak: {peak:F1} GFLOP/s on {MatMulPeak.DeviceNote} (best of {peakDetail} GFLOP/s)");
string GFlops(double rate, double flops) => $"{rate * flops / 1e9:F1} GFLOP/s ({rate * flops / 1e9 / peak:P0} of the MatMul peak)";

bool needLstm = new[] { "lstm", "decode", "isolation", "tune" }.Any(o.Runs);
bool needGpt = new[] { "gpt", "decode", "isolation", "tune" }.Any(o.Runs);
var lstm = needLstm ? LstmScoringBench.Prepare(o, work, log) : default;
var gpt = needGpt ? GptScoringBench.Prepare(o, work, log) : default;
const int GptBatch = 64; // full GPT sequences per run: logits are [64, ~12, 50,257] floats (150 MB)
(string, int)[] vsNaiveBatched = [("vs naive", 0), ("vs batched", 1)];

if (o.Runs("lstm"))
{
    using var lm = OnnxLanguageModel.Open(lstm.Model.OnnxPath, null, options);
    var (rows, cmp) = LstmScoringBench.Run(lstm.Model, lstm.Torch, o, lm);
    Table.Print(log, $"Exposure scoring, {lstm.Model.Name}, one canary of a 10^{o.Digits} space ({lm.Mode})", "candidates/s", rows, vsNaiveBatched);
    log.WriteLine($"  tree: {cmp.TreeRowsPerSecond:N0} rows/s × {lstm.Model.FlopsPerToken(0) / 1e6:F2} MFLOP/row = {GFlops(cmp.TreeRowsPerSecond, lstm.Model.FlopsPerToken(0))}");
    log.WriteLine($"  batched: {cmp.TokensPerSecondBatched:N0} tokens/s = {GFlops(cmp.TokensPerSecondBatched, lstm.Model.FlopsPerToken(0))}");
}

if (o.Runs("gpt"))
{
    using var lm = OnnxLanguageModel.Open(gpt.Model.OnnxPath, null, options);
    var (rows, cmp, forward) = GptScoringBench.Run(gpt.Model, gpt.Torch, o, lm, GptBatch);
    Table.Print(log, $"Exposure scoring, {gpt.Model.Name}, vocab 50,257, one canary of a 10^{o.Digits} space ({lm.Mode})", "candidates/s",
        [.. rows, forward], vsNaiveBatched);
    var sequenceLength = cmp.FullSequence(gpt.Model.Secret).Length;
    double batchedFlops = gpt.Model.FlopsPerToken((sequenceLength + 1) / 2); // causal: a token sees (T+1)/2 positions on average
    double treeFlops = gpt.Model.FlopsPerToken(gpt.Model.RootTokens.Length + 1);
    log.WriteLine($"  FLOPs/token: {batchedFlops / 1e6:F2} MFLOP in a {sequenceLength}-token sequence (head {2.0 * o.GptDim * 50257 / 1e6:F2}, blocks {24.0 * o.GptDim * o.GptDim * o.GptLayers / 1e6:F2}, attention the rest)");
    log.WriteLine($"  (b) batched scoring: {cmp.TokensPerSecondBatched:N0} tokens/s = {GFlops(cmp.TokensPerSecondBatched, batchedFlops)}");
    double forwardTokens = forward.Rate * sequenceLength;
    log.WriteLine($"  ORT forward + last-position log-softmax: ≈{forwardTokens:N0} tokens/s = {GFlops(forwardTokens, batchedFlops)}");
    log.WriteLine($"  (c) tree with KV cache: {cmp.TreeRowsPerSecond:N0} rows/s = {GFlops(cmp.TreeRowsPerSecond, treeFlops)}");
}

if (o.Runs("decode"))
{
    foreach (var (m, tokens) in new[] { (lstm.Model, 64), (gpt.Model, 32) })
    {
        using var lm = OnnxLanguageModel.Open(m.OnnxPath, null, options);
        Table.Print(log, $"Decoding, {m.Name} ({lm.Mode})", "tokens/s", DecodeBench.Run(lm, m.Prompts, tokens),
            ("vs greedy b1 carried", 0));
    }
}

// A one-digit-shorter space keeps the repeated searches below short.
CandidateTrie Smaller(BenchModel m) => m.Trie is UniformCandidateTrie
    ? new UniformCandidateTrie([.. m.Trie.Children(m.Trie.Root).Select(c => c.Token)], o.Digits - 1)
    : m.Trie;

if (o.Runs("isolation"))
{
    foreach (var m in new[] { lstm.Model, gpt.Model })
        Table.Print(log, $"Isolated model host vs in-process, {m.Name}, exact-rank tree search", "rows/s",
            IsolationBench.Run(m, Smaller(m), options, o.Batch), ("vs in-process", 0));
    Table.Print(log, $"Isolated model host vs in-process, {gpt.Model.Name}, the scanner's decoders", "tokens/s",
        IsolatedDecodeBench.Run(gpt.Model, options, 32), ("vs greedy in-process", 0));
}

if (o.Runs("hostloops") || o.Runs("decodeloop"))
{
    // A mid-size GPT (4 layers × 256): its blocks cost a third of its head, unlike the 2 × 128 one's 6%.
    var mid = GptScoringBench.Prepare(o with { GptDim = 256, GptLayers = 4 }, work, log).Model;
    if (o.Runs("decodeloop")) DecodeLoopBench.Run(mid, options, peak, log);
    if (o.Runs("hostloops")) HostLoopBench.Run(mid, options, log);
}

if (o.Runs("tune"))
{
    foreach (var (vocab, rowCount) in new[] { (50257, 2000), (lstm.Tokenizer.VocabSize, 200_000) })
        Table.Print(log, $"LogSoftmax of one row of {vocab:N0} logits", "rows/s", LogSoftmaxBench.Run(vocab, rowCount), ("vs scalar", 0));
    foreach (var m in new[] { lstm.Model, gpt.Model })
    {
        using var lm = OnnxLanguageModel.Open(m.OnnxPath, null, options);
        Table.Print(log, $"OnnxLanguageModel outputs, {m.Name}, exact-rank tree search", "rows/s",
            OutputBufferBench.Run(lm, m, Smaller(m), o.Batch), ("vs before", 0));
    }
    // The char-LSTM on the full tree (~0.5 s a search), the GPT on its (already small) BPE tree.
    foreach (var (m, trie, rounds) in new[] { (lstm.Model, lstm.Model.Trie, 4), (gpt.Model, gpt.Model.Trie, 2) })
        Table.Print(log, $"ONNX Runtime session options, {m.Name}, exact-rank tree search", "rows/s",
            SessionOptionsSweep.Run(m, trie, options, o.Batch, rounds), ("vs default", 0));
    foreach (var m in new[] { lstm.Model, gpt.Model })
    {
        using var lm = OnnxLanguageModel.Open(m.OnnxPath, null, options);
        Table.Print(log, $"ExactRankSearch batch size, {m.Name}", "rows/s",
            SessionOptionsSweep.BatchSweep(lm, m, Smaller(m), [64, 128, 256, 512, 1024, 2048]), ("vs 64", 0));
    }
}

if (o.Runs("kvtree"))
    KvTreeBench.Run(o, work, log);

if (o.Runs("gpt124m"))
    MemScan.Bench.Gpt124m.Gpt124mBench.Run(o, work, peak, log);

if (o.Runs("train"))
    Table.Print(log, "Training throughput (TorchSharp, CPU)", "per second", TrainingBench.Run(o, log));

if (o.Runs("tui"))
{
    var builds = new List<(string, string?)>();
    if (o.TuiBefore is not null)
        builds.Add(("before", Path.GetFullPath(o.TuiBefore)));
    builds.Add(("now", null));
    // a scan writes one row group; a sweep writes its parts in row groups of 50,000
    foreach (var (groupRows, layout) in new[] { (0, "one row group (scan)"), (50_000, "row groups of 50,000 (sweep)") })
        TriageUiBench.PrintSteps(log, $"Triage UI (memscan-tui, headless), {o.TuiRows:N0} findings in {layout}",
            await TriageUiBench.RunAsync(builds, work, o.TuiRows, groupRows));
}

log.WriteLine();
log.WriteLine($"peak RSS: {Timing.PeakRssMiB():F0} MiB");
return 0;
