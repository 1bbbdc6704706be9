namespace MemScan.Scanner.Probes.Membership;

/// <summary>
/// A reference (shadow) model: its name in results, its ONNX file and manifest (null: the target's
/// tokenizer and guessed tensors), and its model name in membership.parquet (null when the table
/// does not know it: then it is taken to have trained on none of the samples, i.e. offline LiRA).
/// </summary>
public sealed record MiaReference(string Name, string ModelPath, string? ManifestPath, string? MembershipModel)
{
    public bool MembershipKnown => MembershipModel is not null;
}
