namespace MemScan.Scanner.Folders;

/// <summary>What MemScan reads from <c>generation_config.json</c>: special token ids and the generation length.</summary>
public sealed record GenerationConfig
{
    public const string FileName = "generation_config.json";

    public int[] BosIds { get; init; } = [];
    public int[] EosIds { get; init; } = [];
    public int[] PadIds { get; init; } = [];
    public int? MaxLength { get; init; }

    public static GenerationConfig? Load(string dir)
    {
        using var doc = FolderJson.Load(Path.Combine(dir, FileName));
        if (doc is null) return null;
        var root = doc.RootElement;
        return new GenerationConfig
        {
            BosIds = FolderJson.Ids(root, "bos_token_id"),
            EosIds = FolderJson.Ids(root, "eos_token_id"),
            PadIds = FolderJson.Ids(root, "pad_token_id"),
            MaxLength = FolderJson.FirstInt(root, "max_length")?.Value,
        };
    }
}
