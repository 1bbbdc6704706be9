namespace MemScan.Scanner.Sweeps;

/// <summary>
/// A stretch of a sample that occurs verbatim in the training text: where it starts in the sample
/// and in the corpus, and how long it is (chars).
/// </summary>
public sealed record VerbatimMatch(int SampleOffset, long CorpusOffset, int Length, string Text);
