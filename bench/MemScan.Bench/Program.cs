using MemScan.Bench;

// memscan-bench: every figure of docs/PERFORMANCE.md, measured side by side in one run.
int hidden = args.Length > 0 ? int.Parse(args[0]) : 256;
int threads = args.Length > 1 ? int.Parse(args[1]) : 0;
string work = Path.Combine(Path.GetTempPath(), "memscan-bench");
Directory.CreateDirectory(work);
Console.WriteLine($"memscan-bench on {Environment.ProcessorCount} cores, ORT threads {(threads == 0 ? "all" : threads)}");

double peak = MatMulPeak.Measure(work, 1024, threads);
Console.WriteLine($"ONNX Runtime MatMul 1024x1024 peak: {peak:F1} GFLOP/s");

var lstm = new LstmScoringBench(work, hidden, threads);
var results = lstm.Run(Console.Out);
double naive = results[0].CandidatesPerSecond, batched = results[1].CandidatesPerSecond;
Console.WriteLine();
Console.WriteLine($"Exposure scoring, char-LSTM hidden {hidden}, one canary of a 10^6 space:");
Console.WriteLine($"{"method",-48} {"candidates/s",14} {"vs naive",9} {"vs batched",11}  note");
foreach (var r in results)
    Console.WriteLine($"{r.Name,-48} {r.CandidatesPerSecond,14:N0} {r.CandidatesPerSecond / naive,8:F1}x {r.CandidatesPerSecond / batched,10:F1}x  {r.Note}");
double achieved = lstm.TreeRowsPerSecond * lstm.FlopsPerRow / 1e9;
Console.WriteLine($"prefix-shared tree: {lstm.TreeRowsPerSecond:N0} rows/s x {lstm.FlopsPerRow / 1e6:F2} MFLOP/row = {achieved:F1} GFLOP/s ({achieved / peak:P0} of the MatMul peak)");
Console.WriteLine($"peak RSS: {Timing.PeakRssMiB():F0} MiB");
