namespace MemScan.Scanner.Sweeps;

/// <summary>The conditioning of one sample: its text and the token ids the model is fed first.</summary>
public sealed record SweepPrompt(string Text, int[] Tokens);
