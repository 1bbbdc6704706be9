using System.CommandLine;
using System.Globalization;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Similarity;

namespace MemScan.Scanner.Cli;

/// <summary><c>memscan compare MODEL...</c>: representation similarity (linear CKA, SVCCA) between classifiers' or language models' layers on one probe set.</summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var models = new Argument<FileInfo[]>("models") { Description = "two or more MemScan classifiers, or two or more language models (model.onnx with its manifest)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "folder for similarity.parquet and the heatmaps", DefaultValueFactory = _ => new DirectoryInfo("compare") };
        var examples = new Option<FileInfo?>("--examples") { Description = "examples.parquet whose images are the probe set (default: the first model's)" };
        var probeExamples = new Option<int>("--probe-examples") { Description = "probe images, evenly spaced over the examples file", DefaultValueFactory = _ => 500 };
        var texts = new Option<FileInfo?>("--texts") { Description = "language models: UTF-8 probe text (default: the first model's held-out sample text)" };
        var windows = new Option<int>("--windows") { Description = "language models: windows of --window-tokens tokens, evenly spaced over the probe text", DefaultValueFactory = _ => 32 };
        var windowTokens = new Option<int>("--window-tokens") { Description = "language models: tokens per window; every token of every window is one row", DefaultValueFactory = _ => 32 };
        var layers = new Option<string>("--layers") { Description = "auto (classifiers: every activation output, then the graph's outputs; language models: the embeddings, each block's or recurrent layer's output, the logits) or tensor names separated by commas", DefaultValueFactory = _ => LayerOutputs.Auto };
        var device = new Option<string>("--device") { Description = "cpu or cuda (falls back to cpu with a note)", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads (0 = all cores)", DefaultValueFactory = _ => 0 };
        var inProcess = new Option<bool>("--in-process") { Description = "run the models inside this process (faster; a crash of ONNX Runtime on a hostile model then ends memscan)" };
        device.AcceptOnlyFromAmong("cpu", "cuda");

        var command = new Command("compare", "Representation similarity between networks: linear CKA (unbiased HSIC) and SVCCA for every pair of layers on one probe set")
        {
            models, output, examples, probeExamples, texts, windows, windowTokens, layers, device, threads, inProcess,
        };
        command.SetAction(parsed =>
        {
            var plan = new ComparePlan
            {
                Models = parsed.GetValue(models)!.Select(f => f.FullName).ToList(),
                OutDir = parsed.GetValue(output)!.FullName,
                ExamplesPath = parsed.GetValue(examples)?.FullName,
                ProbeExamples = parsed.GetValue(probeExamples),
                TextsPath = parsed.GetValue(texts)?.FullName,
                Windows = parsed.GetValue(windows),
                WindowTokens = parsed.GetValue(windowTokens),
                Layers = parsed.GetValue(layers)!,
                Device = parsed.GetValue(device) == "cuda" ? Device.Cuda : Device.Cpu,
                Threads = parsed.GetValue(threads),
            };
            if (!parsed.GetValue(inProcess))
                return Isolation.ScanSupervisor.RunSelf($"comparing {string.Join(", ", plan.Models)}", "nothing was written");
            Isolation.ScanSupervisor.EndWithSupervisor();
            var result = CompareRun.Run(plan, line => Console.Error.WriteLine($"memscan: {line}"));
            var inv = CultureInfo.InvariantCulture;
            foreach (var pair in result.Rows.Where(r => r.LayerIndexA == r.LayerIndexB).GroupBy(r => (r.ModelA, r.ModelB)))
                Console.WriteLine($"{pair.Key.ModelA} vs {pair.Key.ModelB}: " +
                                  string.Join("  ", pair.Select(r => string.Format(inv, "{0} CKA {1:F3} SVCCA {2:F3}", r.LayerA, r.Cka, r.Svcca))));
            foreach (var plot in result.Plots) Console.WriteLine($"plot: {plot}");
            Console.WriteLine($"table: {result.TablePath}");
            return 0;
        });
        return command;
    }
}
