namespace MemScan.Scanner.Tests.Reliability;

/// <summary>The <c>memscan host-model MODEL</c> child processes serving a model, found by their command lines. Linux only (reads /proc).</summary>
internal static class ModelHosts
{
    /// <param name="marker">"host-model" for model hosts; "--in-process" for the child of a supervised <c>memscan vision</c></param>
    public static List<int> Of(string modelPath, string marker = "host-model")
    {
        var found = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                string cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(marker) && cmdline.Contains(Path.GetFullPath(modelPath))) found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // gone meanwhile
        }
        return found;
    }

    /// <summary>SIGKILLs every host of the model, as a native crash of ONNX Runtime would end it; returns how many.</summary>
    public static int Kill(string modelPath, string marker = "host-model")
    {
        var hosts = Of(modelPath, marker);
        foreach (int pid in hosts)
            try { System.Diagnostics.Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } // already gone
        return hosts.Count;
    }

    /// <summary>
    /// Waits up to 10 s for the children of a killed memscan to notice and exit by themselves (a model
    /// host sees its stdin close, a supervised scan its supervisor's pipe); kills and fails on any left.
    /// </summary>
    public static void AssertAllExit(string modelPath, string marker = "host-model")
    {
        if (!OperatingSystem.IsLinux()) return;
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        List<int> left;
        while ((left = Of(modelPath, marker)).Count > 0 && deadline.Elapsed < TimeSpan.FromSeconds(10))
            Thread.Sleep(50);
        Kill(modelPath, marker);
        Xunit.Assert.True(left.Count == 0, $"process(es) {string.Join(", ", left)} ({marker}) outlived the killed memscan by 10 s");
    }
}
