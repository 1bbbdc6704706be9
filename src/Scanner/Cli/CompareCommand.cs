using System.CommandLine;
using System.Globalization;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Similarity;

namespace MemScan.Scanner.Cli;

/// <summary><c>memscan compare MODEL...</c>: representation similarity (linear CKA, SVCCA) between classifiers' layers on one probe set.</summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var models = new Argument<FileInfo[]>("models") { Description = "two or more MemScan classifiers (model.onnx with its manifest)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "folder for similarity.parquet and the heatmaps", DefaultValueFactory = _ => new DirectoryInfo("compare") };
        var examples = new Option<FileInfo?>("--examples") { Description = "examples.parquet whose images are the probe set (default: the first model's)" };
        var probeExamples = new Option<int>("--probe-examples") { Description = "probe images, evenly spaced over the examples file", DefaultValueFactory = _ => 500 };
        var layers = new Option<string>("--layers") { Description = "auto (every activation output, then the graph's outputs) or tensor names separated by commas", DefaultValueFactory = _ => LayerOutputs.Auto };
        var device = new Option<string>("--device") { Description = "cpu or cuda (falls back to cpu with a note)", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads (0 = all cores)", DefaultValueFactory = _ => 0 };
        var inProcess = new Option<bool>("--in-process") { Description = "run the models inside this process (faster; a crash of ONNX Runtime on a hostile model then ends memscan)" };
        device.AcceptOnlyFromAmong("cpu", "cuda");

        var command = new Command("compare", "Representation similarity between networks: linear CKA (unbiased HSIC) and SVCCA for every pair of layers on one probe set")
        {
            models, output, examples, probeExamples, layers, device, threads, inProcess,
        };
        command.SetAction(parsed =>
        {
            var plan = new ComparePlan
            {
                Models = parsed.GetValue(models)!.Select(f => f.FullName).ToList(),
                OutDir = parsed.GetValue(output)!.FullName,
                ExamplesPath = parsed.GetValue(examples)?.FullName,
                ProbeExamples = parsed.GetValue(probeExamples),
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
