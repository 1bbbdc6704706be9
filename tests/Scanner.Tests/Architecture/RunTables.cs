using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Parquet;
using Parquet.Schema;

namespace MemScan.Scanner.Tests.Architecture;

/// <summary>
/// A run folder as text lines that two runs of the same scan must share: every Parquet table row by
/// row (all columns, values printed round-trip exact), every PNG's bytes as a SHA-256, and run.json
/// without its clock readings, paths and command line. Used to hold a refactoring to "the tables are
/// identical before and after" (<see cref="RunTablesComparisonTests"/>).
/// </summary>
internal static class RunTables
{
    /// <summary>run.json keys that say when and how a run was started, not what it found.</summary>
    private static readonly string[] VolatileRunKeys = ["started_utc", "finished_utc", "timings_seconds", "command_line", "run_id"];

    /// <summary>Parquet columns that hold wall-clock readings.</summary>
    private static bool IsTiming(string column) =>
        column.Contains("seconds", StringComparison.OrdinalIgnoreCase) || column.EndsWith("_utc", StringComparison.OrdinalIgnoreCase);

    /// <summary>File name (relative to the run folder) to its comparable lines.</summary>
    public static async Task<SortedDictionary<string, IReadOnlyList<string>>> ReadAsync(string runFolder)
    {
        var files = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (string path in Directory.EnumerateFiles(runFolder, "*", SearchOption.AllDirectories))
        {
            string name = Path.GetRelativePath(runFolder, path).Replace('\\', '/');
            files[name] = Path.GetExtension(path) switch
            {
                ".parquet" => await ParquetLinesAsync(path),
                ".json" when name == "run.json" => RunJsonLines(path),
                _ => [Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)))],
            };
        }
        return files;
    }

    private static async Task<IReadOnlyList<string>> ParquetLinesAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        DataField[] fields = reader.Schema.GetDataFields();
        var lines = new List<string> { "columns: " + string.Join(", ", fields.Select(f => f.Path.ToString())) };
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            foreach (DataField field in fields)
            {
                // the raw column (values plus definition and repetition levels) holds every row of
                // every column type, lists included, without knowing the type at compile time
                using var raw = await group.ReadRawColumnDataBaseAsync(field);
                var columnLines = (IEnumerable<string>)typeof(RunTables)
                    .GetMethod(nameof(RawLines), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                    .MakeGenericMethod(raw.GetType().GetGenericArguments()[0])
                    .Invoke(null, [raw, field, IsTiming(field.Name)])!;
                lines.AddRange(columnLines.Select(line => $"group {g} {field.Path}{line}"));
            }
        }
        return lines;
    }

    /// <summary>One line per value and per definition or repetition level of one raw column.</summary>
    private static IEnumerable<string> RawLines<T>(Parquet.Data.RawColumnData<T> raw, DataField field, bool timing) where T : struct
    {
        // a nullable column's Values holds only the present values (pooled memory past them);
        // NullableValues puts them back in their rows
        object?[] values = field.IsNullable
            ? raw.NullableValues.ToArray().Select(v => (object?)v).ToArray()
            : raw.Values.ToArray().Select(v => (object?)v).ToArray();
        int[] definitions = field.MaxDefinitionLevel > 0 ? raw.DefinitionLevels.ToArray() : [];
        int[] repetitions = field.MaxRepetitionLevel > 0 ? raw.RepetitionLevels.ToArray() : [];
        var lines = new List<string>(values.Length + 2);
        for (int i = 0; i < values.Length; i++)
            lines.Add($"[{i}] = {(timing ? "(timing)" : Format(values[i]))}");
        lines.Add(" definition levels " + string.Join(",", definitions));
        lines.Add(" repetition levels " + string.Join(",", repetitions));
        return lines;
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToHexString(bytes),
        ReadOnlyMemory<byte> bytes => Convert.ToHexString(bytes.Span),
        ReadOnlyMemory<char> chars => chars.ToString(),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static IReadOnlyList<string> RunJsonLines(string path)
    {
        var json = JsonNode.Parse(File.ReadAllText(path, Encoding.UTF8))!.AsObject();
        foreach (string key in VolatileRunKeys) json.Remove(key);
        return json.ToJsonString().Split(',');
    }
}
