using System.Globalization;

namespace MemScan.Trainer.Snapshots;

/// <summary>
/// <c>MODEL_DIR/snapshots/STEP/</c>: one folder per snapshot, filled in a hidden temp folder and
/// renamed into place, so a killed run leaves whole snapshots only. A resumed run rewrites the
/// snapshots after its checkpoint (bit for bit the same, training being deterministic) and keeps
/// the ones before.
/// </summary>
public static class SnapshotFolder
{
    public const string Root = "snapshots";

    public static string PathOf(string modelDir, long step) =>
        Path.Combine(modelDir, Root, step.ToString(CultureInfo.InvariantCulture));

    /// <summary>Creates the snapshot of <paramref name="step"/>: <paramref name="fill"/> writes its files into the folder it is given.</summary>
    public static string Write(string modelDir, long step, Action<string> fill)
    {
        string final = PathOf(modelDir, step);
        string root = Path.GetDirectoryName(final)!;
        Directory.CreateDirectory(root);
        string temp = Path.Combine(root, $".{step}.{Environment.ProcessId}.tmp");
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        try
        {
            fill(temp);
            if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
            Directory.Move(temp, final);
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
        return final;
    }

    /// <summary>Removes temp folders of snapshots a killed run never finished.</summary>
    public static void DeleteStaleTemps(string modelDir)
    {
        string root = Path.Combine(modelDir, Root);
        if (!Directory.Exists(root)) return;
        foreach (string temp in Directory.EnumerateDirectories(root, ".*.tmp"))
            Directory.Delete(temp, recursive: true);
    }
}
