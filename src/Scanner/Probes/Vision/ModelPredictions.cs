using MemScan.Scanner.Models;

namespace MemScan.Scanner.Probes.Vision;

/// <summary>
/// One model of a family (target or reference) run on the examples: its logits, optional embeddings,
/// and which examples it trained on (null when unknown, as for a foreign model).
/// </summary>
public sealed record ModelPredictions(string Name, ClassifierOutput Output, bool[]? IsMember)
{
    public ClassifierScores Scores(int example, int label) => ClassifierScores.Of(Output.LogitsOf(example), label);
}
