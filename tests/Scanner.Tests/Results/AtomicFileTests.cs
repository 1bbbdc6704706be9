using Xunit;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Tests.Results;

public class AtomicFileTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Writing_text_creates_the_file_and_leaves_no_temp_file()
    {
        using var dir = new TempFolder();
        string path = dir.File("a.txt");

        AtomicFile.WriteAllText(path, "hello");

        Assert.Equal("hello", File.ReadAllText(path));
        Assert.Equal(["a.txt"], dir.AllFiles());
    }

    [Fact]
    public async Task Writing_bytes_asynchronously_replaces_an_existing_file()
    {
        using var dir = new TempFolder();
        string path = dir.File("a.bin");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);

        await AtomicFile.WriteAllBytesAsync(path, new byte[] { 9, 8 }, Ct);

        Assert.Equal([9, 8], File.ReadAllBytes(path));
        Assert.Equal(["a.bin"], dir.AllFiles());
    }

    [Fact]
    public void A_throwing_write_callback_keeps_the_old_file_and_leaves_no_temp_file()
    {
        using var dir = new TempFolder();
        string path = dir.File("run.json");
        File.WriteAllText(path, "old");

        var e = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half of the new"u8);
            throw new InvalidOperationException("boom");
        }));

        Assert.Equal("boom", e.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["run.json"], dir.AllFiles());
    }

    [Fact]
    public async Task A_throwing_async_write_callback_keeps_the_old_file_and_leaves_no_temp_file()
    {
        using var dir = new TempFolder();
        string path = dir.File("findings.parquet");
        File.WriteAllText(path, "old");

        await Assert.ThrowsAsync<IOException>(() => AtomicFile.WriteAsync(path, async (stream, ct) =>
        {
            await stream.WriteAsync("partial"u8.ToArray(), ct);
            throw new IOException("disk full");
        }, Ct));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["findings.parquet"], dir.AllFiles());
    }

    [Fact]
    public void A_failed_write_of_a_new_file_leaves_nothing()
    {
        using var dir = new TempFolder();

        Assert.Throws<InvalidOperationException>(() =>
            AtomicFile.Write(dir.File("new.txt"), _ => throw new InvalidOperationException()));

        Assert.Empty(dir.AllFiles());
    }

    [Fact]
    public void Written_files_are_owner_only_even_when_replacing_a_world_readable_file()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("Unix file modes");
        using var dir = new TempFolder();
        string path = dir.File("secret.txt");
        File.WriteAllText(path, "old");
        UnixModes.Set(path, (UnixFileMode)0b110_100_100); // 0644

        AtomicFile.WriteAllText(path, "the secret");

        Assert.Equal(AtomicFile.PrivateFileMode, UnixModes.Of(path));
        Assert.Equal((UnixFileMode)0b110_000_000, UnixModes.Of(path));
    }

    [Fact]
    public async Task Missing_parent_folders_are_created_owner_only()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("Unix file modes");
        using var dir = new TempFolder();
        string folder = Path.Combine(dir.Path, "runs", "r1");

        await AtomicFile.WriteAllTextAsync(Path.Combine(folder, "x.txt"), "x", Ct);

        Assert.Equal((UnixFileMode)0b111_000_000, UnixModes.Of(folder));
        Assert.Equal((UnixFileMode)0b111_000_000, UnixModes.Of(Path.Combine(dir.Path, "runs")));
    }
}
