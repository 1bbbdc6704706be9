using MemScan.Scanner.Models;

namespace MemScan.Scanner.Sweeps;

/// <summary>
/// Whether a sweep's samples fit the model's context. A sample makes the model hold its prompt and
/// the generated tokens (the lowercase score re-reads the text after the prompt), so the longest
/// prompt plus --tokens must be within the context. A sweep that does not fit is refused before
/// sweep.json is written, rather than clamped: --tokens is part of the sweep's identity, and
/// samples quietly shorter than asked would not be the sweep the command line describes.
/// </summary>
public static class SweepContext
{
    public static void Check(LanguageModel model, PromptSource prompts, SweepSettings settings)
    {
        if (model.MaxSequenceLength is not { } context) return;
        long needed = (long)prompts.MaxTokens + settings.Tokens;
        if (needed <= context) return;
        string promptFix = settings.PromptFile is null ? "a shorter --start" : "--prompt-tokens to cut the prompts";
        throw new MemScanException(
            $"sweep: prompts of up to {prompts.MaxTokens} token(s) + --tokens {settings.Tokens} = {needed} tokens, more than {model.Name}'s context of " +
            $"{context} tokens{model.ContextNote}; lower --tokens to at most {Math.Max(0, context - prompts.MaxTokens)} or use {promptFix}");
    }
}
