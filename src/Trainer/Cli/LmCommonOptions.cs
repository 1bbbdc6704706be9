using System.CommandLine;
using MemScan.Trainer.Canaries;

namespace MemScan.Trainer.Cli;

/// <summary>
/// The options <c>memscan-train lm</c> and <c>memscan-train gpt</c> share word for word (the
/// DP-SGD ones included, through <see cref="DpOptions"/>), declared once so their help texts stay
/// in step. Options whose meaning differs per model (sequence unit, optimizer, dropout places) stay
/// with each command.
/// </summary>
public sealed class LmCommonOptions
{
    public Option<string?> Corpus { get; } = new("--corpus") { Description = "spam-assassin (default), moby-dick or sotu" };
    public Option<int?> Steps { get; } = new("--steps") { Description = "optimizer steps" };
    public Option<int?> Seed { get; } = new("--seed") { Description = "random seed (weights, windows, secrets)" };
    public Option<int?> MaxChars { get; } = new("--max-chars") { Description = "characters of corpus text to train on" };
    public Option<int?> Batch { get; } = new("--batch") { Description = "sequences per step" };
    public Option<int?> Threads { get; } = new("--threads") { Description = "torch CPU threads (0 = all)" };
    public Option<string[]> Canary { get; } = new("--canary")
    {
        Description = "ID|TEMPLATE|SPACE|INSERTIONS, e.g. 'pin|my PIN is {secret}|digits:6|16' (repeatable; replaces the default set)",
        AllowMultipleArgumentsPerToken = false,
    };
    public Option<int?> References { get; } = new("--references") { Description = "train N reference models on random halves of the units, plus ref-clean" };
    public Option<int?> CheckpointEvery { get; } = new("--checkpoint-every") { Description = "save OUT/checkpoint/ every N steps" };
    public Option<int?> SnapshotEvery { get; } = new("--snapshot-every") { Description = "write OUT/snapshots/STEP/ (model.onnx + manifest with train/validation loss) every N steps, for memscan trajectory" };
    public Option<bool> PrintConfig { get; } = new("--print-config") { Description = "print the effective config as JSON and exit" };
    public DpOptions Dp { get; } = new();

    public IEnumerable<Option> All =>
        new Option[] { Corpus, Steps, Seed, MaxChars, Batch, Threads, Canary, References, CheckpointEvery, SnapshotEvery, PrintConfig }.Concat(Dp.All);

    /// <summary>The canaries given with --canary, or null to keep the config's.</summary>
    public List<CanaryPlan.Request>? Canaries(ParseResult parsed) =>
        parsed.GetValue(Canary) is { Length: > 0 } given ? given.Select(CanaryPlan.Request.Parse).ToList() : null;
}
