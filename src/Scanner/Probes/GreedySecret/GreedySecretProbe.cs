using MemScan.Scanner.Canaries;
using MemScan.Scanner.Models;
using MemScan.Scanner.Results;
using MemScan.Scanner.Tokenizers;

namespace MemScan.Scanner.Probes.GreedySecret;

/// <summary>
/// The cheapest attack on a canary: type its prefix and let the model complete it greedily, as a
/// user of a chat box or an autocomplete would. The probe prompts with the template up to the hole
/// ("the vault code is "), decodes greedily as many tokens as the secret takes after that prefix,
/// and reports how many leading characters of the secret came out. Unlike extraction it searches
/// nothing: a secret found here needs one model row per token, no budget and no candidate space.
/// Opt-in (<c>--probes greedy_secret</c>): needs canaries with secrets.
/// </summary>
public sealed class GreedySecretProbe(LanguageModel model, ITextTokenizer tokenizer)
{
    public const string Name = "greedy_secret";

    /// <summary>Tokens decoded per canary: the secret's tokens after the prefix, at least one.</summary>
    public int TokensFor(Canary canary) =>
        Math.Max(1, tokenizer.Encode(canary.Prefix + canary.Secret).Length - tokenizer.Encode(canary.Prefix).Length);

    public IReadOnlyList<GreedySecretRow> Run(IReadOnlyList<Canary> canaries)
    {
        var withSecret = canaries.Where(c => c.HasSecret).ToList();
        if (withSecret.Count == 0)
            throw new MemScanException("greedy_secret needs canaries with their secrets (manifest canaries, or --canary with --secret)");
        var rows = new List<GreedySecretRow>();
        // canaries whose secrets take the same number of tokens decode together, one batch per length
        foreach (var group in withSecret.GroupBy(TokensFor))
        {
            var batch = group.ToList();
            var generated = GreedyDecoding.Decode(model, batch.Select(c => tokenizer.Encode(c.Prefix)).ToArray(), group.Key);
            for (int i = 0; i < batch.Count; i++)
            {
                string text = tokenizer.Decode(generated[i]);
                int matched = 0;
                while (matched < batch[i].Secret.Length && matched < text.Length && text[matched] == batch[i].Secret[matched]) matched++;
                rows.Add(new GreedySecretRow
                {
                    CanaryId = batch[i].Id,
                    Prompt = batch[i].Prefix,
                    Secret = batch[i].Secret,
                    Insertions = batch[i].Insertions,
                    Generated = text,
                    MatchedChars = matched,
                    Exact = matched == batch[i].Secret.Length,
                });
            }
        }
        var order = withSecret.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i);
        return rows.OrderBy(r => order[r.CanaryId]).ToList();
    }

    /// <summary>One finding per canary: critical when greedy decoding types the whole secret.</summary>
    public static Finding ToFinding(GreedySecretRow row) => new()
    {
        Probe = Name,
        Subject = row.CanaryId,
        Severity = row.Exact ? Severity.Critical : Severity.Info,
        Score = (double)row.MatchedChars / row.Secret.Length,
        ScoreName = "greedy_matched_fraction",
        MaxScore = 1,
        Evidence = row.Exact
            ? $"greedy decoding after \"{row.Prompt.TrimEnd()}\" types the whole secret"
            : $"greedy decoding after \"{row.Prompt.TrimEnd()}\" types {row.MatchedChars} of the secret's {row.Secret.Length} characters",
        Secret = row.Exact ? row.Secret : null,
        Rank = null,
        Queries = null,
        CreatedUtc = DateTime.UtcNow,
    };
}
