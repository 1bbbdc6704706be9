using Xunit;
using MemScan.Scanner.Results;
using Parquet;

namespace MemScan.Scanner.Tests.Results;

public class HiveFolderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ParquetTableTests.MiaScore Row(string id, double loss) => new() { SampleId = id, Loss = loss };

    private static async Task WritePart(string root, int shard, int part, params ParquetTableTests.MiaScore[][] groups)
    {
        await using var writer = ParquetPartWriter<ParquetTableTests.MiaScore>.Create(HiveFolder.PartPath(root, shard, part));
        foreach (var group in groups)
            await writer.WriteRowGroupAsync(group, Ct);
        await writer.CommitAsync(Ct);
    }

    [Fact]
    public void Part_paths_are_hive_style_with_four_digit_numbers()
    {
        string path = HiveFolder.PartPath("sweeps/s1", 3, 12);

        Assert.Equal(Path.Combine("sweeps/s1", "shard=0003", "part-0012.parquet"), path);
    }

    [Fact]
    public async Task A_part_writer_writes_one_row_group_per_batch_and_leaves_no_temp_file()
    {
        using var dir = new TempFolder();
        string path = HiveFolder.PartPath(dir.Path, 0, 0);

        await WritePart(dir.Path, 0, 0, [Row("a", 1), Row("b", 2)], [], [Row("c", 3)]);

        await using (ParquetReader reader = await ParquetReader.CreateAsync(path, cancellationToken: Ct))
            Assert.Equal(2, reader.RowGroupCount);
        Assert.Equal(["a", "b", "c"], (await ParquetTable<ParquetTableTests.MiaScore>.ReadAsync(path, Ct)).Select(r => r.SampleId));
        Assert.Equal([Path.Combine("shard=0000", "part-0000.parquet")], dir.AllFiles());
    }

    [Fact]
    public async Task An_uncommitted_part_leaves_nothing_behind()
    {
        using var dir = new TempFolder();
        string path = HiveFolder.PartPath(dir.Path, 1, 0);

        await using (var writer = ParquetPartWriter<ParquetTableTests.MiaScore>.Create(path))
            await writer.WriteRowGroupAsync([Row("a", 1)], Ct);

        Assert.Empty(dir.AllFiles());
        Assert.Empty(HiveFolder.ListParts(dir.Path));
    }

    [Fact]
    public async Task A_committed_part_is_owner_only()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("Unix file modes");
        using var dir = new TempFolder();

        await WritePart(dir.Path, 0, 0, [Row("a", 1)]);

        Assert.Equal(AtomicFile.PrivateFileMode, UnixModes.Of(HiveFolder.PartPath(dir.Path, 0, 0)));
    }

    [Fact]
    public async Task A_part_with_no_rows_is_an_empty_table()
    {
        using var dir = new TempFolder();

        await WritePart(dir.Path, 0, 0);

        Assert.Empty(await ParquetTable<ParquetTableTests.MiaScore>.ReadAsync(HiveFolder.PartPath(dir.Path, 0, 0), Ct));
    }

    [Fact]
    public async Task Parts_are_listed_by_shard_then_part_ignoring_temp_and_stray_files()
    {
        using var dir = new TempFolder();
        await WritePart(dir.Path, 2, 0, [Row("c", 3)]);
        await WritePart(dir.Path, 0, 1, [Row("b", 2)]);
        await WritePart(dir.Path, 0, 0, [Row("a", 1)]);
        File.WriteAllText(Path.Combine(HiveFolder.ShardFolder(dir.Path, 0), ".part-0002.parquet.abcd1234.tmp"), "in flight");
        File.WriteAllText(Path.Combine(dir.Path, "README.txt"), "not a part");
        Directory.CreateDirectory(Path.Combine(dir.Path, "other"));

        IReadOnlyList<HivePart> parts = HiveFolder.ListParts(dir.Path);

        Assert.Equal([(0, 0), (0, 1), (2, 0)], parts.Select(p => (p.Shard, p.Part)));
        Assert.Equal(2, HiveFolder.NextPart(dir.Path, 0));
        Assert.Equal(0, HiveFolder.NextPart(dir.Path, 1));
    }

    [Fact]
    public async Task Reading_all_parts_skips_a_corrupt_part_and_reports_it()
    {
        using var dir = new TempFolder();
        await WritePart(dir.Path, 0, 0, [Row("a", 1)]);
        await WritePart(dir.Path, 1, 0, [Row("b", 2), Row("c", 3)]);
        string broken = HiveFolder.PartPath(dir.Path, 1, 1);
        await File.WriteAllTextAsync(broken, "PAR1 then garbage", Ct);

        HiveReadResult<ParquetTableTests.MiaScore> result =
            await HiveFolder.ReadAllAsync<ParquetTableTests.MiaScore>(dir.Path, Ct);

        Assert.Equal(["a", "b", "c"], result.Rows.Select(r => r.SampleId));
        Assert.Equal(2, result.Parts.Count);
        SkippedPart skipped = Assert.Single(result.Skipped);
        Assert.Equal(broken, skipped.Path);
        Assert.Contains("part-0001.parquet is corrupt", skipped.Reason);
    }

    [Fact]
    public void A_missing_sweep_folder_has_no_parts()
    {
        Assert.Empty(HiveFolder.ListParts(Path.Combine(Path.GetTempPath(), "memscan-does-not-exist-" + Guid.NewGuid())));
    }
}
