using MemScan.Scanner.Sweeps;

namespace MemScan.Scanner.Models;

/// <summary>
/// A whole decoding loop for a batch: feed <see cref="Feed"/>[r] after <see cref="States"/>[r], then
/// generate <see cref="Tokens"/> tokens per row, feeding each back but the last. Greedy (the most
/// likely token, the lower id first on ties) when <see cref="Sampling"/> is null, else top-k sampling.
/// </summary>
/// <remarks>
/// Why a request for the whole loop: through the isolated model host, one pipe round trip per
/// generated token cost decoding most of its speed; with the loop in one request the host runs it
/// and the pipe carries only the tokens and their log-probs (<see cref="LanguageModel.Decode"/>).
/// </remarks>
public sealed record DecodeRequest(IReadOnlyList<LmState> States, IReadOnlyList<int[]> Feed, int Tokens, DecodeSampling? Sampling = null)
{
    /// <summary>The most likely next tokens each step asks the model for, or 0 for full rows (sampling over the whole vocabulary).</summary>
    public int TopNext(int vocab) => Sampling is null ? 1 : Sampling.TopK > 0 && Sampling.TopK < vocab ? Sampling.TopK : 0;
}

/// <summary>
/// How a sampled loop draws: generated token t of row r is step <see cref="FirstStep"/> + t of sample
/// <see cref="SampleIndices"/>[r], drawn by <see cref="TopKSampler"/> at <see cref="Temperature"/>.At(step)
/// with <see cref="SampleRandom.Uniform"/>(<see cref="Seed"/>, index, <see cref="SampleRandom.TokenStream"/>, step):
/// nothing else decides it, so a sample does not depend on which process runs the loop.
/// </summary>
/// <param name="TopK">candidates kept; 0 or at least the vocabulary keeps all.</param>
public sealed record DecodeSampling(long Seed, long[] SampleIndices, TemperatureSchedule Temperature, int TopK, int FirstStep = 0);

/// <summary>The generated tokens of each row and log p of each under the distribution it was drawn from.</summary>
public sealed record DecodeResult(int[][] Tokens, float[][] LogProbs);
