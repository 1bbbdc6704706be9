using Xunit;

namespace MemScan.Scanner.Tests;

/// <summary>
/// The repository's documentation (README.md, docs/*.md) as the doc tests check it: found by
/// walking up from the test binaries to the folder holding MemScan.sln. Skips the test when the
/// binaries run outside a checkout.
/// </summary>
internal static class RepoDocs
{
    public static string Read(string relativePath)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, relativePath);
            if (File.Exists(Path.Combine(dir.FullName, "MemScan.sln")) && File.Exists(path))
                return File.ReadAllText(path);
        }
        Assert.Skip($"{relativePath} not found above the test binaries");
        return "";
    }
}
