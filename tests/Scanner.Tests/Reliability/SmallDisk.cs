using System.Diagnostics;

namespace MemScan.Scanner.Tests.Reliability;

/// <summary>
/// A folder that fills up: a tmpfs of a few KiB where this process may mount one (root on Linux),
/// else an ordinary folder whose writers run under a file-size limit (<c>ulimit -f</c>, with
/// SIGXFSZ ignored so that a write past it fails with EFBIG instead of killing the writer). Either
/// way a scan writing there meets a failing write part way through its run folder.
/// </summary>
internal sealed class SmallDisk : IDisposable
{
    SmallDisk(string path, bool mounted, int limitKiB)
    {
        Path = path;
        Mounted = mounted;
        LimitKiB = limitKiB;
    }

    public string Path { get; }

    /// <summary>True: a tmpfs of <see cref="LimitKiB"/>; false: a file-size limit of that many KiB per file.</summary>
    public bool Mounted { get; }

    public int LimitKiB { get; }

    public static SmallDisk Create(string path, int kib)
    {
        Directory.CreateDirectory(path);
        bool mounted = OperatingSystem.IsLinux() && Run("mount", "-t", "tmpfs", "-o", $"size={kib}k,mode=0700", "tmpfs", path) == 0;
        return new SmallDisk(path, mounted, kib);
    }

    /// <summary>Runs memscan with its writes bounded: on the tmpfs as is, else under the file-size limit.</summary>
    public (int Code, string Stdout, string Stderr) Memscan(IEnumerable<string> args)
    {
        if (Mounted) return MemscanProcess.Run(args);
        // bash: ignore SIGXFSZ (inherited across exec), cap file sizes, then become memscan
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"trap '' XFSZ; ulimit -f {LimitKiB}; exec dotnet \"$@\"");
        start.ArgumentList.Add("bash");
        start.ArgumentList.Add(MemscanProcess.Dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        return MemscanProcess.Run(start);
    }

    /// <summary>Frees space: the tmpfs grows to 64 MiB (a file-size limit applies only to <see cref="Memscan"/>; other runs have none).</summary>
    public void Grow()
    {
        if (Mounted && Run("mount", "-o", "remount,size=64m", Path) != 0)
            throw new InvalidOperationException($"cannot grow the tmpfs at {Path}");
    }

    public void Dispose()
    {
        if (Mounted) Run("umount", Path);
    }

    static int Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1; // no such program
        }
    }
}
