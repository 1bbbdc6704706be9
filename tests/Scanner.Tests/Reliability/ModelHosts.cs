namespace MemScan.Scanner.Tests.Reliability;

/// <summary>The <c>memscan host-model MODEL</c> child processes serving a model, found by their command lines. Linux only (reads /proc).</summary>
internal static class ModelHosts
{
    public static List<int> Of(string modelPath)
    {
        var found = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                string cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains("host-model") && cmdline.Contains(Path.GetFullPath(modelPath))) found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // gone meanwhile
        }
        return found;
    }

    /// <summary>SIGKILLs every host of the model, as a native crash of ONNX Runtime would end it; returns how many.</summary>
    public static int Kill(string modelPath)
    {
        var hosts = Of(modelPath);
        foreach (int pid in hosts)
            try { System.Diagnostics.Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } // already gone
        return hosts.Count;
    }
}
