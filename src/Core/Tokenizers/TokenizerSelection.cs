using MemScan.Scanner.Manifest;
using MemScan.Scanner.Tokenizers;

namespace MemScan.Scanner.Scanning;

/// <summary>Picks the tokenizer of a scan: --tokenizer wins over the manifest's.</summary>
public static class TokenizerSelection
{
    public static ITextTokenizer For(ModelManifest? manifest, string? manifestPath, string? cliSpec)
    {
        if (cliSpec is not null) return TokenizerFactory.FromCli(cliSpec);
        var spec = manifest?.Tokenizer ?? throw new MemScanException($"{manifestPath} names no tokenizer; pass --tokenizer ({TokenizerFactory.AcceptedCliForms})");
        return TokenizerFactory.FromSpec(spec, Path.GetDirectoryName(Path.GetFullPath(manifestPath!))!);
    }
}
