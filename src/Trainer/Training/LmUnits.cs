using MemScan.Scanner.Canaries;
using MemScan.Scanner.Results;

namespace MemScan.Trainer.Training;

/// <summary>A unit of training data whose membership is tracked: a document or a canary.</summary>
public sealed record TextUnit(string Id, string Kind, string Text);

/// <summary>
/// The units of an LM corpus: each non-blank line of the training text is a document (corpora
/// reach the trainer as lines — prose lines, email lines — so a line is the finest unit that is
/// also natural to score); each canary is one unit with all its insertions.
/// </summary>
public static class LmUnits
{
    public static List<TextUnit> Documents(string text) =>
        text.Split('\n')
            .Where(line => !string.IsNullOrWhiteSpace(line))
            .Select((line, i) => new TextUnit($"doc-{i:D6}", MembershipRow.Document, line))
            .ToList();

    public static TextUnit Of(Canary canary) => new(canary.Id, MembershipRow.Canary, canary.Text.TrimEnd('\n'));

    /// <summary>The training text made of the chosen documents, one per line, in corpus order.</summary>
    public static string Join(IEnumerable<TextUnit> documents) => string.Join('\n', documents.Select(d => d.Text));
}
