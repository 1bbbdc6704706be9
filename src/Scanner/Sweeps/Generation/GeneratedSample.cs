using MemScan.Scanner.Models;

namespace MemScan.Scanner.Sweeps;

/// <summary>
/// One sampled continuation: its token ids, log p of each under the target model (untempered:
/// the temperature shapes the draw, not the score), and the model state after the prompt, which
/// the lowercase score re-uses.
/// </summary>
public sealed record GeneratedSample(long Index, SweepPrompt Prompt, int[] Tokens, float[] LogProbs, LmState PromptState);
