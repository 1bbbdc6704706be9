namespace MemScan.Scanner.Probes.Membership.Attacks;

/// <summary>
/// The membership-inference attacks in the order they run (the order of their rows in mia.parquet
/// and roc.parquet), looked up by name, and the one loop that scores a set of samples with them.
/// </summary>
public static class MiaAttackList
{
    public static readonly IReadOnlyList<IMiaAttack> All =
    [
        new LossAttack(), new ZlibAttack(), new LowercaseAttack(), new MinKAttack(), new MinKPlusPlusAttack(), new ReferenceRatioAttack(),
        LiraAttack.Online, LiraAttack.OnlineFixed, LiraAttack.Offline, LiraAttack.OfflineFixed,
        TrainedAttack.Logistic, TrainedAttack.Trees,
    ];

    public static IMiaAttack Find(string name) => All.FirstOrDefault(a => a.Name == name)
        ?? throw new MemScanException($"unknown membership-inference attack '{name}': choose from {string.Join(", ", All.Select(a => a.Name))}");

    /// <summary>
    /// Runs the signal attacks, drops those with NaN scores (with a note), then the combined
    /// attacks on the signal scores left. Returns each attack's scores by name, in run order; a
    /// skipped attack's reason goes to <paramref name="notes"/> once (attacks that skip together say it once).
    /// </summary>
    public static Dictionary<string, double[]> Score(IEnumerable<IMiaAttack> attacks, MiaAttackInputs inputs, List<string> notes)
    {
        var list = attacks.ToList();
        var scores = new Dictionary<string, double[]>();
        var said = new HashSet<string>(StringComparer.Ordinal);
        void Add(IMiaAttack attack, IReadOnlyDictionary<string, double[]> signals)
        {
            var outcome = attack.Score(inputs, signals);
            if (outcome.Scores is { } values) scores[attack.Name] = values;
            else if (outcome.SkipNote is { } note && said.Add(note)) notes.Add(note);
        }
        foreach (var attack in list.Where(a => a.Stage == MiaAttackStage.Signal)) Add(attack, scores);
        foreach (var (attack, values) in scores.Where(kv => kv.Value.Any(double.IsNaN)).ToList())
        {
            scores.Remove(attack);
            notes.Add($"{attack} skipped: {values.Count(double.IsNaN)} of {values.Length} scores are NaN");
        }
        // a snapshot: a combined attack learns from the signal attacks only, not from another combined one
        var signals = new Dictionary<string, double[]>(scores);
        foreach (var attack in list.Where(a => a.Stage == MiaAttackStage.Combined)) Add(attack, signals);
        return scores;
    }
}
