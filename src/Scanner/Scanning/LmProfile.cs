using System.Text.Json;
using MemScan.Scanner.Manifest;

namespace MemScan.Scanner.Scanning;

/// <summary>
/// A model profile (<c>--profile</c>): the tensor names of a third-party language model whose
/// interface MemScan cannot guess, in the manifest's <c>io</c> form:
/// <c>{"input_ids": "ids", "logits": "scores", "state": [{"input": "h_in", "output": "h_out"}], "context": 1024}</c>.
/// <c>context</c> (optional) is the most tokens the model takes at once, for a transformer whose
/// position table MemScan cannot find in the graph.
/// </summary>
public static class LmProfile
{
    const long MaxBytes = 1 << 20;

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 8,
    };

    public static LmIoSpec Load(string path)
    {
        string text = InputFile.ReadAllText(path, "profile", MaxBytes);
        try
        {
            var io = JsonSerializer.Deserialize<LmIoSpec>(text, Json)
                ?? throw new MemScanException($"profile {path} is empty");
            io.Validate($"profile {path}");
            return io;
        }
        catch (JsonException e)
        {
            throw new MemScanException($"profile {path} is not a language-model profile (input_ids, logits, state, context): {e.Message}");
        }
    }
}
