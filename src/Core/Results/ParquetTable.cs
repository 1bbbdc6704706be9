using Parquet;
using Parquet.Schema;
using Parquet.Serialization;

namespace MemScan.Scanner.Results;

/// <summary>
/// Writes and reads one MemScan Parquet table whose columns are the properties of
/// <typeparamref name="T"/>. Writes are atomic and owner-only (<see cref="AtomicFile"/>); reads
/// check the file's schema first, so a corrupt file or another table's file fails with a
/// <see cref="MemScanException"/> that names the file and the column, never with default values.
/// </summary>
public static class ParquetTable<T> where T : class, IParquetRow, new()
{
    /// <summary>Custom metadata key holding the table name (<see cref="IParquetRow.TableName"/>).</summary>
    public const string TableKey = "memscan.table";

    /// <summary>The columns, as <see cref="ParquetSerializer"/> writes them for <typeparamref name="T"/>.</summary>
    public static ParquetSchema Schema { get; } = typeof(T).GetParquetSchema(forWriting: true);

    /// <summary>Column names in file order.</summary>
    public static IReadOnlyList<string> ColumnNames { get; } = Schema.DataFields.Select(f => f.Name).ToArray();

    internal static IReadOnlyDictionary<string, string> Metadata { get; } =
        new Dictionary<string, string> { [TableKey] = T.TableName };

    /// <summary>Writes all <paramref name="rows"/> as one file (one row group per 1M rows by default).</summary>
    public static Task WriteAsync(string path, IEnumerable<T> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return AtomicFile.WriteAsync(path, async (stream, ct) =>
            await ParquetSerializer.SerializeAsync(rows, stream, new ParquetOptions(), Metadata, ct)
                .ConfigureAwait(false), cancellationToken);
    }

    /// <summary>Reads every row of every row group.</summary>
    public static async Task<IReadOnlyList<T>> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        await using Stream stream = OpenRead(path);
        try
        {
            await using (ParquetReader reader = await ParquetReader.CreateAsync(
                             stream, leaveStreamOpen: true, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                CheckSchema(path, reader.Schema, reader.CustomMetadata);
            }
            stream.Position = 0;
            var result = await ParquetSerializer.DeserializeAsync<T>(stream, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return result.Data as IReadOnlyList<T> ?? result.Data.ToList();
        }
        catch (Exception e) when (e is not (MemScanException or OperationCanceledException))
        {
            throw Corrupt(path, e);
        }
    }

    /// <summary>Checks that <paramref name="path"/> is a readable file of this table, reading only its footer.</summary>
    public static async Task ValidateAsync(string path, CancellationToken cancellationToken = default)
    {
        await using Stream stream = OpenRead(path);
        try
        {
            await using ParquetReader reader = await ParquetReader.CreateAsync(
                stream, leaveStreamOpen: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            CheckSchema(path, reader.Schema, reader.CustomMetadata);
        }
        catch (Exception e) when (e is not (MemScanException or OperationCanceledException))
        {
            throw Corrupt(path, e);
        }
    }

    /// <summary>
    /// Throws unless every expected column is present with a compatible type. Extra columns are
    /// allowed (a newer MemScan may add some); a nullable column where a non-nullable one is
    /// expected is not (its nulls would silently read as zero).
    /// </summary>
    internal static void CheckSchema(string path, ParquetSchema actual, IReadOnlyDictionary<string, string>? metadata)
    {
        string what = $"{path} is not a MemScan {T.TableName} table";
        if (metadata is not null && metadata.TryGetValue(TableKey, out string? table) && table != T.TableName)
            throw new MemScanException($"{what}: it holds the '{table}' table");

        var present = actual.DataFields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        foreach (DataField expected in Schema.DataFields)
        {
            if (!present.TryGetValue(expected.Name, out DataField? found))
                throw new MemScanException($"{what}: missing column '{expected.Name}'");
            Type want = ColumnType(expected.ClrType), got = ColumnType(found.ClrType);
            if (want != got || found.IsArray != expected.IsArray)
                throw new MemScanException(
                    $"{what}: column '{expected.Name}' is {Describe(found)}, expected {Describe(expected)}");
            if (found.IsNullable && !expected.IsNullable)
                throw new MemScanException(
                    $"{what}: column '{expected.Name}' is nullable {Describe(found)}, expected non-null {Describe(expected)}");
        }
    }

    private static Stream OpenRead(string path)
    {
        if (InputFile.KindOf(path).Kind == FileKind.Missing)
            throw new MemScanException($"{path}: no such {T.TableName} table");
        var stream = InputFile.OpenRead(path, $"{T.TableName} table", ParquetFooterCheck.MaxTableBytes);
        try
        {
            ParquetFooterCheck.Check(stream, path);
        }
        catch (Exception e) when (e is IOException)
        {
            stream.Dispose();
            throw new MemScanException($"cannot read {path}: {e.Message}", e);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        return stream;
    }

    private static MemScanException Corrupt(string path, Exception e) =>
        new($"{path} is corrupt: {e.Message}", e);

    // The reader reports string columns as ReadOnlyMemory<char>; the serializer as string.
    private static Type ColumnType(Type t) =>
        t == typeof(ReadOnlyMemory<char>) ? typeof(string) : Nullable.GetUnderlyingType(t) ?? t;

    private static string Describe(DataField f) =>
        (f.IsArray ? "list of " : "") + (ColumnType(f.ClrType).Name switch
        {
            "String" => "string", "Int32" => "int32", "Int64" => "int64", "Double" => "double",
            "Single" => "float", "Boolean" => "bool", "DateTime" => "timestamp", var other => other,
        });
}
