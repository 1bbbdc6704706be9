namespace MemScan.Scanner.Corpora;

/// <summary>One document of a <see cref="ProseCorpus"/>: a Moby-Dick chapter or one State of the Union address.</summary>
/// <param name="Id">File name without <c>.txt</c>: <c>chapter_1</c>, <c>epilogue</c>, <c>1790_george_washington_n</c>.</param>
/// <param name="Text">The text as stored.</param>
public sealed record ProseDocument(string Id, string Text);
