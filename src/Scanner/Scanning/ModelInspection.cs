using System.Globalization;
using MemScan.Scanner.Folders;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Scanning;

/// <summary>
/// What MemScan understood of a language model (file or folder) and what it refuses, as labelled
/// lines: layout and files, each input and output with its role, the state pairs and their types,
/// the context and where it came from, the tokenizer and where it came from, the execution
/// provider (and, for CUDA, which library is missing). A refusal is the message a scan would stop
/// with; each one names the feature and what would make it work.
/// </summary>
public sealed record ModelInspection(IReadOnlyList<(string Label, string Text)> Lines, string? Refusal)
{
    /// <param name="path">The model file or folder, as the user gave it (it is shown as given).</param>
    public static ModelInspection Of(string path, string? profilePath = null, string? manifestPath = null, string? tokenizerSpec = null, Device device = Device.Cpu)
    {
        var lines = new List<(string, string)>();
        void Add(string label, string text) => lines.Add((label, text));
        try
        {
            var folder = Directory.Exists(path) ? ModelFolder.Load(path) : null;
            string modelFile = folder?.ModelPath ?? path;
            var info = OnnxModelInfo.Load(modelFile);
            if (folder is not null)
            {
                Add("folder", $"{path}: {folder.Layout}");
                Add("model file", Path.GetRelativePath(folder.Dir, folder.ModelPath) + (folder.FirstStepPath is { } first ? $" (first step: {Path.GetRelativePath(folder.Dir, first)})" : ""));
            }
            else Add("model file", path);
            Add("graph", $"ir {info.IrVersion}, opset {info.Opset}, {info.NodeCount:N0} nodes, {info.InitializerBytes:N0} bytes of weights" +
                         (info.HasExternalData ? " (external data beside the model)" : ""));
            Add("weights", WeightTypes(info));
            Add("operators", $"domains {string.Join(", ", info.Domains.Select(d => d.Length == 0 ? "ai.onnx" : d))}" + QuantizedOps(info));

            manifestPath ??= File.Exists(ModelManifest.PathFor(modelFile)) ? ModelManifest.PathFor(modelFile) : null;
            var manifest = manifestPath is null ? null : ModelManifest.Load(manifestPath);
            var io = profilePath is not null ? LmProfile.Load(profilePath) : manifest?.Io;
            var options = new OnnxSessionOptions { Device = device };
            using var lm = folder is null ? OnnxLanguageModel.Open(path, io, options) : OnnxLanguageModel.Open(folder, io, options);
            foreach (var input in lm.GraphInputs) Add("input", $"{input}  {lm.RoleOf(input.Name)}");
            foreach (var output in lm.GraphOutputs) Add("output", $"{output}  {lm.RoleOf(output.Name)}");
            Add("mode", lm.Mode);
            Add("context", lm.MaxSequenceLength is { } context
                ? $"{context.ToString(CultureInfo.InvariantCulture)} tokens (from {lm.MaxSequenceLengthSource})"
                : "none (a recurrent model, or positions MemScan cannot trace: every length is fed)");
            if (folder is not null)
            {
                var (heads, kvHeads) = folder.Heads;
                if (heads is not null)
                    Add("heads", $"{heads} attention heads, {kvHeads ?? heads} key/value heads" + (kvHeads is { } kv && kv < heads ? " (grouped-query attention)" : ""));
                Add("special tokens", $"bos {Ids(folder.BosIds)}, eos {Ids(folder.EosIds)}, pad {Ids(folder.PadIds)}");
            }
            Add("tokenizer", Tokenizer(folder, manifest, manifestPath, tokenizerSpec));
            Add("device", DeviceLine(lm.DeviceNote, device));
            return new ModelInspection(lines, null);
        }
        catch (MemScanException e)
        {
            return new ModelInspection(lines, e.Message);
        }
    }

    static string Ids(int[] ids) => ids.Length == 0 ? "-" : string.Join("/", ids);

    static string WeightTypes(OnnxModelInfo info)
    {
        var types = OnnxGraphWalk.Initializers(info.Model.Graph)
            .GroupBy(t => ((OnnxElementType)t.DataType).ToOnnxString())
            .OrderByDescending(g => g.Count()).Select(g => $"{g.Key} × {g.Count()}");
        return string.Join(", ", types);
    }

    static readonly string[] QuantizationOps = ["QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear", "MatMulInteger", "com.microsoft:MatMulNBits", "com.microsoft:DynamicQuantizeMatMul", "com.microsoft:QOrderedMatMul"];

    static string QuantizedOps(OnnxModelInfo info)
    {
        var found = QuantizationOps.Where(info.OpTypes.Contains).ToList();
        return found.Count == 0 ? "" : $"; quantized: {string.Join(", ", found)}";
    }

    static string Tokenizer(ModelFolder? folder, ModelManifest? manifest, string? manifestPath, string? cli)
    {
        string source = cli is not null ? $"--tokenizer {cli}"
            : manifest?.Tokenizer is not null ? $"manifest {manifestPath}"
            : folder?.TokenizerSource is { } s ? s
            : "";
        if (source.Length == 0) return "none found: pass --tokenizer (a tokenizer.json, VOCAB.json,MERGES.txt, gpt2, ...) or put the tokenizer beside the model";
        try
        {
            return $"{TokenizerSelection.For(manifest, manifestPath, cli, folder?.TokenizerSpec).Describe()} (from {source})";
        }
        catch (MemScanException e)
        {
            return $"refused: {e.Message} (from {source})";
        }
    }

    static string DeviceLine(string note, Device asked)
    {
        if (asked == Device.Cpu)
            return OnnxSession.GpuBuild
                ? $"cpu (--device cuda would need CUDA 13 and cuDNN 9: {CudaLibraries.Describe()})"
                : "cpu (this build has no CUDA provider: build with -p:MemScanGpu=true, which runs on CUDA 13 and cuDNN 9)";
        return note.StartsWith("cuda", StringComparison.Ordinal) || note.Contains("missing", StringComparison.Ordinal) || !OnnxSession.GpuBuild
            ? note : $"{note} ({CudaLibraries.Describe()})";
    }
}
