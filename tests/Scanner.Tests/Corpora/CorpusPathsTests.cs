using MemScan.Scanner.Corpora;
using Xunit;

namespace MemScan.Scanner.Tests.Corpora;

public sealed class CorpusPathsTests
{
    [Fact]
    public void Environment_override_names_the_data_folder_itself()
    {
        using var dir = new TempDirectory();

        Assert.Equal(dir.Path, CorpusPaths.DataRoot(dir.Path, "/nowhere", "/nowhere"));
    }

    [Fact]
    public void Data_folder_is_found_beside_the_solution_from_a_nested_folder()
    {
        using var dir = new TempDirectory();
        dir.File("MemScan.sln", "");
        var nested = Path.GetDirectoryName(dir.File("src/Scanner/bin/x"))!;

        Assert.Equal(Path.Combine(dir.Path, "corpora", "data"), CorpusPaths.DataRoot(null, nested, "/"));
        Assert.Equal(Path.Combine(dir.Path, "corpora", "data"), CorpusPaths.DataRoot("", "/", nested));
    }

    [Fact]
    public void Without_a_solution_above_the_error_names_the_environment_variable()
    {
        using var dir = new TempDirectory();

        var e = Assert.Throws<MemScanException>(() => CorpusPaths.DataRoot(null, dir.Path, dir.Path));

        Assert.Contains("MEMSCAN_CORPORA", e.Message);
        Assert.Contains("corpora/fetch.sh", e.Message);
    }

    [Fact]
    public void Tests_find_this_checkouts_data_folder()
    {
        var root = CorpusPaths.FindSolutionRoot(AppContext.BaseDirectory);

        Assert.NotNull(root);
        Assert.True(File.Exists(Path.Combine(root, "corpora", "fetch.sh")), $"no corpora/fetch.sh under {root}");
    }
}
