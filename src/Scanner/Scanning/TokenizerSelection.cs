using MemScan.Scanner.Manifest;
using MemScan.Scanner.Tokenizers;

namespace MemScan.Scanner.Scanning;

/// <summary>
/// Picks the tokenizer of a scan: --tokenizer wins over the manifest's, which wins over a model
/// folder's own (its tokenizer.json, or vocab.json+merges.txt, ...), resolved as --tokenizer would.
/// </summary>
public static class TokenizerSelection
{
    public static ITextTokenizer For(ModelManifest? manifest, string? manifestPath, string? cliSpec, string? folderSpec = null)
    {
        if (cliSpec is not null) return TokenizerFactory.FromCli(cliSpec);
        if (manifest?.Tokenizer is null && folderSpec is not null) return TokenizerFactory.FromCli(folderSpec);
        var spec = manifest?.Tokenizer ?? throw new MemScanException($"{manifestPath} names no tokenizer; pass --tokenizer ({TokenizerFactory.AcceptedCliForms})");
        return TokenizerFactory.FromSpec(spec, Path.GetDirectoryName(Path.GetFullPath(manifestPath!))!);
    }
}
