namespace MemScan.Tui.Live;

/// <summary>
/// Notices changes under the runs folder: a <see cref="FileSystemWatcher"/> for prompt updates,
/// and a fingerprint the UI polls every 2 s because watchers miss events on network file systems,
/// in containers with bind mounts, and when their buffer overflows during a burst of sweep parts.
/// </summary>
internal sealed class FolderWatcher : IDisposable
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private readonly string _root;
    private readonly FileSystemWatcher? _watcher;
    private string _fingerprint = "";
    private volatile bool _dirty;

    /// <param name="changed">Called on a thread-pool thread when the watcher sees a change.</param>
    public FolderWatcher(string root, Action changed)
    {
        _root = root;
        try
        {
            _watcher = new FileSystemWatcher(root)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            FileSystemEventHandler handler = (_, e) =>
            {
                // our own temp files come and go on every atomic write; the rename that follows counts
                if (e.Name is { } n && n.EndsWith(".tmp", StringComparison.Ordinal))
                    return;
                _dirty = true;
                changed();
            };
            _watcher.Created += handler;
            _watcher.Changed += handler;
            _watcher.Deleted += handler;
            _watcher.Renamed += (s, e) => handler(s, e);
            _watcher.Error += (_, _) => _dirty = true;
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            // inotify limits reached or an exotic file system: polling alone still works
            _watcher = null;
        }
        _fingerprint = Fingerprint();
    }

    /// <summary>The opened run or sweep folder: watched file by file; the others only by their run.json.</summary>
    public string? Focus
    {
        get => _focus;
        set
        {
            // a new focus is not a change on disk: take its fingerprint now so the next poll is quiet
            _focus = value;
            _fingerprint = Fingerprint();
        }
    }

    private string? _focus;

    public bool UsesFileSystemEvents => _watcher is not null;

    /// <summary>True once per change seen by the watcher or by comparing fingerprints (the 2 s poll).</summary>
    public bool PollChanged()
    {
        string now = Fingerprint();
        bool changed = _dirty || now != _fingerprint;
        _dirty = false;
        _fingerprint = now;
        return changed;
    }

    private string Fingerprint()
    {
        var parts = new List<string>();
        try
        {
            foreach (string dir in Directory.EnumerateDirectories(_root).Order(StringComparer.Ordinal))
            {
                parts.Add(dir);
                string info = Path.Combine(dir, "run.json");
                if (File.Exists(info))
                    parts.Add(File.GetLastWriteTimeUtc(info).Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            string sweeps = Path.Combine(_root, "sweeps");
            if (Directory.Exists(sweeps))
                foreach (string part in Directory.EnumerateFiles(sweeps, "*.parquet", SearchOption.AllDirectories))
                    parts.Add(part);
            if (Focus is { } focus && Directory.Exists(focus))
                foreach (string file in Directory.EnumerateFiles(focus, "*", SearchOption.AllDirectories))
                {
                    var fi = new FileInfo(file);
                    parts.Add($"{file}:{fi.Length}:{fi.LastWriteTimeUtc.Ticks}");
                }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            parts.Add("unreadable: " + e.Message);
        }
        return string.Join('\n', parts);
    }

    public void Dispose() => _watcher?.Dispose();
}
