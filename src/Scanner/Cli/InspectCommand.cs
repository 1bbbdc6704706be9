using System.CommandLine;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Scanning;

namespace MemScan.Scanner.Cli;

/// <summary>
/// <c>memscan inspect MODEL|DIR</c>: prints what MemScan understood of a language model and what it
/// would refuse and why; exits 2 on a refusal, as a scan would.
/// </summary>
public static class InspectCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "the ONNX model, or a model folder (config.json, tokenizer, decoder files)" };
        var profile = new Option<FileInfo?>("--profile") { Description = "model profile JSON, as for scan" };
        var manifest = new Option<FileInfo?>("--manifest") { Description = "manifest (default: MODEL.memscan.json beside the model, if present)" };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "tokenizer, as for scan" };
        var device = new Option<string>("--device") { Description = "cpu or cuda: the execution provider to try", DefaultValueFactory = _ => "cpu" };
        device.AcceptOnlyFromAmong("cpu", "cuda");
        var command = new Command("inspect", "Show how MemScan reads a language model (inputs, state, context, tokenizer, device) and what it refuses")
        {
            model, profile, manifest, tokenizer, device,
        };
        command.SetAction(parsed =>
        {
            var path = parsed.GetValue(model)!;
            if (!File.Exists(path) && !Directory.Exists(path)) throw new MemScanException($"model {path} does not exist");
            var inspection = ModelInspection.Of(path, parsed.GetValue(profile)?.FullName, parsed.GetValue(manifest)?.FullName,
                parsed.GetValue(tokenizer), parsed.GetValue(device) == "cuda" ? Device.Cuda : Device.Cpu);
            int width = inspection.Lines.Select(l => l.Label.Length).Append("refused".Length).Max();
            foreach (var (label, text) in inspection.Lines) Console.WriteLine($"{(label + ":").PadRight(width + 2)}{text}");
            if (inspection.Refusal is null) return 0;
            Console.WriteLine($"{"refused:".PadRight(width + 2)}{inspection.Refusal}");
            return CliRunner.UserError;
        });
        return command;
    }
}
