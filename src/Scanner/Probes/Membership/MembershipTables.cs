using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes.Membership;

/// <summary>
/// The ground truth of a model family: <c>units.parquet</c> (unit texts) and <c>membership.parquet</c>
/// (which model trained on which unit), as the Trainer writes them beside a target and its
/// reference models. Texts are matched exactly, so samples from any source can be looked up.
/// </summary>
public sealed class MembershipTables
{
    readonly Dictionary<string, TrainingUnitRow> _units;
    readonly Dictionary<string, List<string>> _unitsByText;
    readonly Dictionary<string, Dictionary<string, bool>> _byModel;

    MembershipTables(string folder, IReadOnlyList<TrainingUnitRow> units, IReadOnlyList<MembershipRow> membership)
    {
        Folder = folder;
        _units = new Dictionary<string, TrainingUnitRow>(StringComparer.Ordinal);
        _unitsByText = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var u in units)
        {
            if (!_units.TryAdd(u.UnitId, u))
                throw new MemScanException($"{Path.Combine(folder, TrainingUnitRow.FileName)}: unit id '{u.UnitId}' occurs more than once");
            if (!_unitsByText.TryGetValue(u.Text, out var ids)) _unitsByText[u.Text] = ids = [];
            ids.Add(u.UnitId);
        }
        _byModel = new Dictionary<string, Dictionary<string, bool>>(StringComparer.Ordinal);
        foreach (var m in membership)
        {
            if (!_byModel.TryGetValue(m.Model, out var map)) _byModel[m.Model] = map = new(StringComparer.Ordinal);
            map[m.UnitId] = m.IsMember;
        }
    }

    /// <summary>The folder holding both tables (the target's).</summary>
    public string Folder { get; }

    /// <summary>Model names in the membership table, sorted ("ref-00", "ref-01", …, "ref-clean", "target").</summary>
    public IReadOnlyList<string> Models => _byModel.Keys.Order(StringComparer.Ordinal).ToList();

    public IEnumerable<TrainingUnitRow> Units => _units.Values;

    public bool HasModel(string model) => _byModel.ContainsKey(model);

    /// <summary>
    /// Loads both tables from <paramref name="folder"/>, or returns null when membership.parquet is
    /// absent. A membership table without its units table is an error (the texts are needed).
    /// </summary>
    public static MembershipTables? TryLoad(string folder)
    {
        string membershipPath = Path.Combine(folder, MembershipRow.FileName);
        if (!File.Exists(membershipPath)) return null;
        string unitsPath = Path.Combine(folder, TrainingUnitRow.FileName);
        if (!File.Exists(unitsPath))
            throw new MemScanException($"{membershipPath} has no {TrainingUnitRow.FileName} beside it; the unit texts are needed to score membership");
        var units = ParquetTable<TrainingUnitRow>.ReadAsync(unitsPath).GetAwaiter().GetResult();
        var membership = ParquetTable<MembershipRow>.ReadAsync(membershipPath).GetAwaiter().GetResult();
        var tables = new MembershipTables(folder, units, membership);
        var orphan = membership.FirstOrDefault(m => !tables._units.ContainsKey(m.UnitId));
        if (orphan is not null)
            throw new MemScanException($"{membershipPath}: unit '{orphan.UnitId}' of model '{orphan.Model}' is not in {unitsPath} ({units.Count} units)");
        return tables;
    }

    /// <summary>
    /// Whether <paramref name="model"/> trained on <paramref name="text"/>: true if any unit with
    /// exactly this text was in its data, false if all were out, null if the text is no unit or the
    /// model has no rows for it.
    /// </summary>
    public bool? IsMember(string model, string text)
    {
        if (!_byModel.TryGetValue(model, out var map) || !_unitsByText.TryGetValue(text, out var ids)) return null;
        bool any = false, known = false;
        foreach (var id in ids)
        {
            if (!map.TryGetValue(id, out bool member)) continue;
            known = true;
            any |= member;
        }
        return known ? any : null;
    }

    /// <summary>The target's units as samples (its members and non-members), sliced by unit kind.</summary>
    public IReadOnlyList<MiaSample> TargetSamples(string model = MembershipRow.Target)
    {
        if (!_byModel.TryGetValue(model, out var map))
            throw new MemScanException($"{Path.Combine(Folder, MembershipRow.FileName)} has no rows for model '{model}' (models: {string.Join(", ", Models)})");
        return map.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (Unit: _units[kv.Key], Member: kv.Value))
            // one text may be several units (repeated lines); a duplicate only counts once
            .GroupBy(x => x.Unit.Text, StringComparer.Ordinal)
            .Select(g => new MiaSample(g.First().Unit.UnitId, g.Key, g.Any(x => x.Member), g.First().Unit.UnitKind))
            .ToList();
    }
}
