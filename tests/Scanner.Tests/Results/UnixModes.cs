using Xunit;

namespace MemScan.Scanner.Tests.Results;

/// <summary>File modes for tests that skip themselves on Windows.</summary>
internal static class UnixModes
{
    public static UnixFileMode Of(string path)
    {
        if (OperatingSystem.IsWindows())
            Assert.Skip("Unix file modes");
        else
            return File.GetUnixFileMode(path);
        return default;
    }

    public static void Set(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
            Assert.Skip("Unix file modes");
        else
            File.SetUnixFileMode(path, mode);
    }
}
