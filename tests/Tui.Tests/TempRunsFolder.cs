namespace MemScan.Tui.Tests;

/// <summary>A fresh runs folder under the system temp folder, deleted on dispose.</summary>
internal sealed class TempRunsFolder : IDisposable
{
    public TempRunsFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "memscan-tui-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
