using MemScan.Scanner;
using MemScan.Scanner.Results;
using MemScan.Tui.Data;
using Xunit;

namespace MemScan.Tui.Tests.Data;

public class FindingsFileTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Finding Make(int i) => new()
    {
        Probe = i % 2 == 0 ? "sweep" : "exposure", Subject = $"s-{i}", Severity = (Severity)(i % 5), Score = i,
        ScoreName = "zlib_ratio", Evidence = i == 7 ? "needle in evidence" : "hay", CreatedUtc = DateTime.UnixEpoch,
    };

    [Fact]
    public async Task Rows_are_read_one_row_group_at_a_time_across_group_boundaries()
    {
        using var dir = new TempRunsFolder();
        string path = dir.Combine(FindingsTable.FileName);
        await using (var writer = ParquetPartWriter<FindingRow>.Create(path))
        {
            for (int g = 0; g < 3; g++)
                await writer.WriteRowGroupAsync(Enumerable.Range(g * 10, 10).Select(i => FindingRow.From(Make(i))).ToList(), Ct);
            await writer.CommitAsync(Ct);
        }

        FindingsFile file = await FindingsFile.OpenAsync(path, Ct);

        Assert.Equal(30, file.RowCount);
        Assert.Equal(3, file.RowGroupCount);
        Assert.Equal(["exposure", "sweep"], file.Keys.Probes);
        Assert.Equal(Severity.Critical, file.Keys.Worst);
        Assert.Equal("s-0", file.Get(0).Subject);
        Assert.Equal("s-10", file.Get(10).Subject);
        Assert.Equal("s-29", file.Get(29).Subject);
        Assert.Equal("s-9", file.Get(9).Subject);
        var matches = await file.MatchTextAsync("NEEDLE", Ct);
        Assert.Equal([7], Enumerable.Range(0, 30).Where(i => matches[i]));
    }

    [Fact]
    public async Task A_file_written_by_the_scanner_reads_the_same_findings()
    {
        using var dir = new TempRunsFolder();
        string path = dir.Combine(FindingsTable.FileName);
        Finding[] findings = Enumerable.Range(0, 5).Select(Make).ToArray();
        await FindingsTable.WriteAsync(path, findings, Ct);

        FindingsFile file = await FindingsFile.OpenAsync(path, Ct);

        Assert.Equal(
            (await FindingsTable.ReadAsync(path, Ct)).Select(f => f with { }),
            Enumerable.Range(0, file.RowCount).Select(file.Get));
    }

    [Fact]
    public async Task A_corrupt_file_fails_with_a_message_naming_it()
    {
        using var dir = new TempRunsFolder();
        string path = dir.Combine(FindingsTable.FileName);
        await File.WriteAllTextAsync(path, "PAR1 garbage", Ct);

        var e = await Assert.ThrowsAsync<MemScanException>(() => FindingsFile.OpenAsync(path, Ct));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public async Task The_table_columns_are_in_memory_after_open_and_the_runs_list_reads_only_severities()
    {
        using var dir = new TempRunsFolder();
        string path = dir.Combine(FindingsTable.FileName);
        await FindingsTable.WriteAsync(path, Enumerable.Range(0, 12).Select(Make), Ct);
        IReadOnlyList<Finding> findings = await FindingsTable.ReadAsync(path, Ct); // in the writer's order

        FindingsFile file = await FindingsFile.OpenAsync(path, Ct);
        (Severity? worst, long count) = await FindingsFile.ReadWorstAsync(path, Ct);
        File.Delete(path);

        Assert.Equal((Severity.Critical, 12L), (worst, count));
        Assert.Equal(findings.Select(f => f.Subject), file.Labels.Subjects);
        Assert.Equal(findings.Select(f => f.ScoreName), Enumerable.Range(0, 12).Select(file.Labels.ScoreNameOf));
        Assert.Equal(findings.Select(f => f.Probe), file.Keys.ProbeIndex.Select(i => file.Keys.Probes[i]));
        Assert.False(file.TryGet(0, out _)); // details are decoded on demand only
    }

    [Fact]
    public async Task Details_are_decoded_once_per_row_group_and_then_served_from_memory()
    {
        using var dir = new TempRunsFolder();
        string path = dir.Combine(FindingsTable.FileName);
        await using (var writer = ParquetPartWriter<FindingRow>.Create(path))
        {
            for (int g = 0; g < 2; g++)
                await writer.WriteRowGroupAsync(Enumerable.Range(g * 5, 5).Select(i => FindingRow.From(Make(i))).ToList(), Ct);
            await writer.CommitAsync(Ct);
        }
        FindingsFile file = await FindingsFile.OpenAsync(path, Ct);

        Finding seven = await file.GetAsync(7, Ct);
        File.Delete(path);

        Assert.Equal("needle in evidence", seven.Evidence);
        Assert.True(file.TryGet(9, out Finding? nine));
        Assert.Equal("s-9", nine!.Subject);
        Assert.False(file.TryGet(0, out _));
        var e = await Assert.ThrowsAsync<MemScanException>(() => file.GetAsync(0, Ct));
        Assert.Contains(path, e.Message);
    }
}
