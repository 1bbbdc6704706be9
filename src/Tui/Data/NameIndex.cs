namespace MemScan.Tui.Data;

/// <summary>
/// A repetitive text column (probe, score name) turned into an index per row and the distinct
/// names, renumbered in ordinal name order so that sorting by index sorts by name.
/// </summary>
internal sealed class NameIndex(int capacity)
{
    private readonly List<int> _ids = new(capacity);
    private readonly Dictionary<string, int> _names = new(StringComparer.Ordinal);

    public void Add(ReadOnlySpan<string?> values)
    {
        foreach (string? value in values)
        {
            string name = value ?? "";
            if (!_names.TryGetValue(name, out int id))
                _names[name] = id = _names.Count;
            _ids.Add(id);
        }
    }

    public (int[] Ids, string[] Names) InNameOrder()
    {
        string[] sorted = _names.Keys.Order(StringComparer.Ordinal).ToArray();
        int[] remap = new int[sorted.Length];
        for (int i = 0; i < sorted.Length; i++)
            remap[_names[sorted[i]]] = i;
        int[] ids = new int[_ids.Count];
        for (int i = 0; i < ids.Length; i++)
            ids[i] = remap[_ids[i]];
        return (ids, sorted);
    }
}
