using MemScan.Scanner.Corpora;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Tests;
using MemScan.Trainer.Export;
using MemScan.Trainer.Models;
using TorchSharp;
using Xunit;

namespace MemScan.Trainer.Tests.Export;

/// <summary>
/// The README's <c>memscan inspect</c> output for an fp16 merged-decoder folder is what inspect
/// says of a GPT of the README's shape published that way (the lines depend on the layout and the
/// shape, not on the trained weights).
/// </summary>
public sealed class ReadmeInspectTests
{
    [Fact]
    public void The_readme_shows_what_inspect_says_of_an_fp16_merged_decoder_folder()
    {
        string readme = RepoDocs.Read("README.md");
        const string command = "cli/memscan inspect models/gpt-published/published";
        int at = readme.IndexOf(command, StringComparison.Ordinal);
        Assert.True(at >= 0, "the README shows no inspect of models/gpt-published/published");
        int start = readme.IndexOf("```\n", readme.IndexOf("```", at, StringComparison.Ordinal) + 3, StringComparison.Ordinal) + 4;
        var shown = readme[start..readme.IndexOf("\n```", start, StringComparison.Ordinal)].Split('\n');

        // The README's command: --dim 64 --layers 2 --heads 4 --kv-heads 2 --context 64, GPT-2's vocabulary.
        torch.manual_seed(1);
        using var model = new GptLm(new GptShape(Vocab: GptShape.Gpt2Vocab, Context: 64, Dim: 64, Layers: 2, Heads: 4, KvHeads: 2));
        string root = TinyModels.TempDir("readme-inspect");
        string dir = Path.Combine(root, "models", "gpt-published", "published");
        var gpt2 = Gpt2TokenizerFiles.LocateDefault();
        GptFolderExporter.Export(model, dir, GptFolderLayout.Merged, new GptExportOptions { Precision = OnnxElementType.Float16 },
            tokenizerFiles: (gpt2.VocabPath, gpt2.MergesPath));

        var inspection = ModelInspection.Of(dir);
        Assert.Null(inspection.Refusal);
        int width = inspection.Lines.Max(l => l.Label.Length);
        var lines = inspection.Lines.Select(l => $"{(l.Label + ":").PadRight(width + 2)}{l.Text}").ToArray();
        // Shown as the user typed the folder; here it is a temporary one.
        lines[0] = lines[0].Replace(dir, "models/gpt-published/published");
        Assert.Equal(shown, lines);
    }
}
