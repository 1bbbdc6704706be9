using Xunit;
using MemScan.Scanner.Results;
using Parquet;

namespace MemScan.Scanner.Tests.Results;

public class ExposureTableTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static readonly string[] DocumentedColumns =
    [
        "canary_id", "template", "secret", "insertions", "space_size", "log2_space", "log_perplexity",
        "rank", "exposure_bits", "method", "extrapolated_exposure_bits", "fit_location", "fit_scale", "fit_shape", "candidates_scored", "seconds",
    ];

    internal static CanaryExposure[] SampleRows() =>
    [
        new CanaryExposure
        {
            CanaryId = "pin-1", Template = "my pin is {digits:6}", Secret = "281430", Insertions = 16,
            SpaceSize = 1e6, Log2Space = Math.Log2(1e6), LogPerplexity = 3.25, Rank = 1,
            ExposureBits = Math.Log2(1e6), Method = CanaryExposure.Exact, ExtrapolatedExposureBits = 19.1,
            CandidatesScored = 1_000_000, Seconds = 12.5,
        },
        new CanaryExposure
        {
            CanaryId = "ssn-2", Template = "ssn {digits:3}-{digits:2}-{digits:4}", Secret = "123-45-6789",
            Insertions = 1, SpaceSize = 1e9, Log2Space = Math.Log2(1e9), LogPerplexity = 88.0, Rank = 4_200_000,
            ExposureBits = Math.Log2(1e9) - Math.Log2(4_200_000), Method = CanaryExposure.Extrapolated,
            ExtrapolatedExposureBits = null, CandidatesScored = 100_000, Seconds = 3.0,
        },
    ];

    [Fact]
    public async Task Exposure_rows_round_trip_with_equal_values()
    {
        using var dir = new TempFolder();
        string path = dir.File(ExposureTable.FileName);
        CanaryExposure[] rows = SampleRows();

        await ExposureTable.WriteAsync(path, rows, Ct);

        Assert.Equal(rows, await ExposureTable.ReadAsync(path, Ct));
        Assert.Equal([ExposureTable.FileName], dir.AllFiles());
    }

    [Fact]
    public async Task The_file_has_the_documented_columns_in_order()
    {
        using var dir = new TempFolder();
        string path = dir.File(ExposureTable.FileName);

        await ExposureTable.WriteAsync(path, SampleRows(), Ct);

        await using ParquetReader reader = await ParquetReader.CreateAsync(path, cancellationToken: Ct);
        Assert.Equal(DocumentedColumns, reader.Schema.DataFields.Select(f => f.Name));
        Assert.Equal(DocumentedColumns, ExposureTable.ColumnNames);
    }

    [Fact]
    public async Task An_unknown_method_or_a_zero_rank_is_refused_on_write()
    {
        using var dir = new TempFolder();
        string path = dir.File(ExposureTable.FileName);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            ExposureTable.WriteAsync(path, [SampleRows()[0] with { Method = "guessed" }], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            ExposureTable.WriteAsync(path, [SampleRows()[0] with { Rank = 0 }], Ct));
        Assert.Empty(dir.AllFiles());
    }
}
