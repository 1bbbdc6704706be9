using MemScan.Scanner.Manifest;
using MemScan.Scanner.Tokenizers;

namespace MemScan.Scanner.Scanning;

/// <summary>Picks the tokenizer of a scan: --tokenizer wins over the manifest's.</summary>
public static class TokenizerSelection
{
    public static ITextTokenizer For(ModelManifest? manifest, string? manifestPath, string? cliSpec)
    {
        if (cliSpec is not null)
            throw new MemScanException($"--tokenizer '{cliSpec}' is not supported yet");
        var spec = manifest?.Tokenizer ?? throw new MemScanException($"{manifestPath} names no tokenizer; pass --tokenizer");
        if (spec.Kind == "char" && spec.Symbols is { } symbols) return CharTokenizer.Create(symbols);
        throw new MemScanException($"{manifestPath}: tokenizer kind '{spec.Kind}' is not supported");
    }
}
