using System.Diagnostics;
using MemScan.Scanner.Metrics;
using MemScan.Scanner.Probes.Discoverable;
using MemScan.Scanner.Probes.Extraction;
using MemScan.Scanner.Probes.Membership;
using MemScan.Scanner.Probes.Vision;
using MemScan.Scanner.Results;
using Xunit;

namespace MemScan.Scanner.Tests.Reliability;

/// <summary>What the kill-and-resume tests of both scans do with a run folder: kill its writer, read every file, compare tables.</summary>
internal static class RunFiles
{
    /// <summary>SIGKILLs memscan (a model host is left to notice) once run.json lists a probe complete and another still to run, as seen while memscan is frozen.</summary>
    public static RunInfo KillAfterFirstProbe(string[] args, string runFolder)
    {
        using var process = MemscanProcess.Start(args);
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        string infoPath = Path.Combine(runFolder, RunFolder.InfoFileName);
        FreezeAndKill.When(process,
            () => File.Exists(infoPath) && RunInfo.Read(infoPath) is { Status: RunStatus.Running, CompletedProbes.Count: > 0 } info
                  && info.CompletedProbes.Count < info.Probes.Count,
            TimeSpan.FromSeconds(60), () => stderr.Result);
        return RunInfo.Read(infoPath);
    }

    /// <summary>Every file a reader lists (hidden temp and lock files aside) opens whole: run.json parses, every Parquet file reads to the end, every PNG decodes.</summary>
    public static async Task AssertEveryFileReads(string runFolder)
    {
        RunInfo.Read(Path.Combine(runFolder, RunFolder.InfoFileName));
        foreach (string file in Visible(runFolder))
        {
            if (file.EndsWith(".parquet"))
                await Rows(file);
            else if (file.EndsWith(".png"))
                MemScan.Scanner.Vision.PngDecoder.Decode(file);
        }
    }

    /// <summary>Asserts that two run folders hold the same files and every table the same rows (wall-clock fields aside).</summary>
    public static async Task AssertSameTables(string expected, string actual)
    {
        Assert.Equal(Visible(expected).Select(Path.GetFileName), Visible(actual).Select(Path.GetFileName));
        foreach (string table in Visible(expected).Where(f => f.EndsWith(".parquet")))
            Assert.Equal(await Rows(table), await Rows(Path.Combine(actual, Path.GetFileName(table))));
    }

    public static IEnumerable<string> Visible(string folder) =>
        Directory.GetFiles(folder).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal);

    /// <summary>
    /// The rows of a run's table through MemScan's own reader (which checks the schema), with the
    /// wall-clock fields that differ between two runs of one scan by nature (creation time, seconds) zeroed.
    /// </summary>
    public static async Task<List<object>> Rows(string path) => Path.GetFileNameWithoutExtension(path) switch
    {
        "findings" => [.. (await FindingsTable.ReadAsync(path)).Select(f => f with { CreatedUtc = default })],
        "exposure" => [.. (await ExposureTable.ReadAsync(path)).Select(r => r with { Seconds = 0 })],
        "exposure_samples" => [.. await ParquetTable<ExposureSample>.ReadAsync(path)],
        "extraction" => [.. await ParquetTable<ExtractionRow>.ReadAsync(path)],
        "discoverable" => [.. await ParquetTable<DiscoverableRow>.ReadAsync(path)],
        "mia" => [.. await ParquetTable<MiaSummary>.ReadAsync(path)],
        "roc" => [.. await ParquetTable<RocRow>.ReadAsync(path)],
        "mia_scores" => [.. await ParquetTable<MiaScoreRow>.ReadAsync(path)],
        "mia_slices" => [.. await ParquetTable<MiaSliceRow>.ReadAsync(path)],
        "mia_examples" => [.. await ParquetTable<MiaExampleRow>.ReadAsync(path)],
        "audit" => [.. await ParquetTable<AuditRow>.ReadAsync(path)],
        "memorization" => [.. await ParquetTable<MemorizationRow>.ReadAsync(path)],
        "memorization_summary" => [.. await ParquetTable<MemorizationSummaryRow>.ReadAsync(path)],
        "predictions" => [.. await ParquetTable<PredictionRow>.ReadAsync(path)],
        var other => throw new Xunit.Sdk.XunitException($"{path}: a table this test does not know ({other})"),
    };
}
