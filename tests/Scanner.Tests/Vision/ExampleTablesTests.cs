using MemScan.Scanner.Results;
using MemScan.Scanner.Vision;
using Xunit;

namespace MemScan.Scanner.Tests.Vision;

public class ExampleTablesTests
{
    static string TempFile(string name)
    {
        string dir = Path.Combine(Path.GetTempPath(), "memscan-vision-tests", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    [Fact]
    public async Task Examples_parquet_round_trips_every_column_including_pixels_and_nulls()
    {
        var random = new Random(3);
        byte[] Pixels() { var b = new byte[4 * 4]; random.NextBytes(b); return b; }
        var rows = new List<ExampleRow>
        {
            new() { ExampleId = 0, Role = ExampleRow.Member, Included = true, Label = 3, TrueLabel = 3, SourceIndex = 1234, Pixels = Pixels() },
            new() { ExampleId = 1, Role = ExampleRow.NonMember, Included = false, Label = 9, TrueLabel = 9, SourceIndex = 7, Pixels = Pixels() },
            new() { ExampleId = 2, Role = ExampleRow.Canary, CanaryKind = ExampleRow.Mislabeled, Included = true, Label = 1, TrueLabel = 4, SourceIndex = 99, Pixels = Pixels() },
            new() { ExampleId = 3, Role = ExampleRow.Canary, CanaryKind = ExampleRow.Noise, Included = false, Label = 5, Pixels = Pixels() },
        };
        string path = TempFile("examples.parquet");
        await ParquetTable<ExampleRow>.WriteAsync(path, rows, TestContext.Current.CancellationToken);
        var back = await ParquetTable<ExampleRow>.ReadAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(rows.Count, back.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal(rows[i] with { Pixels = [] }, back[i] with { Pixels = [] });
            Assert.Equal(rows[i].Pixels, back[i].Pixels);
        }

        var set = ExampleSet.Load(path); // 16 pixels: a 4×4 gray image
        Assert.Equal((1, 4, 4), (set.Images.Channels, set.Images.Height, set.Images.Width));
        Assert.Equal(rows[2].Pixels[5] / 255f, set.Images.Image(2)[5]);
        Assert.Equal([3, 9, 1, 5], set.Images.Labels.Select(l => l!.Value));
    }

    [Fact]
    public async Task Example_membership_parquet_round_trips()
    {
        var rows = new[] { "target", "ref-00" }.SelectMany(m => Enumerable.Range(0, 5).Select(i => new ExampleMembershipRow { Model = m, ExampleId = i, IsMember = (i + m.Length) % 2 == 0 })).ToList();
        string path = TempFile("example_membership.parquet");
        await ParquetTable<ExampleMembershipRow>.WriteAsync(path, rows, TestContext.Current.CancellationToken);
        Assert.Equal(rows, await ParquetTable<ExampleMembershipRow>.ReadAsync(path, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_examples_file_with_an_unknown_role_is_refused_with_the_example_id()
    {
        string path = TempFile("examples.parquet");
        await ParquetTable<ExampleRow>.WriteAsync(path, [new ExampleRow { ExampleId = 42, Role = "maybe", Pixels = new byte[4] }], TestContext.Current.CancellationToken);
        var e = Assert.Throws<MemScanException>(() => ExampleSet.Load(path));
        Assert.Contains("example 42 has role 'maybe'", e.Message);
    }
}
