using MemScan.Scanner.Results;
using System.Globalization;
using MemScan.Scanner;
using Parquet;
using Parquet.Schema;

namespace MemScan.Tui.Data;

/// <summary>
/// Reads named columns of any Parquet file as numbers, one row group at a time, without knowing its
/// row type: plots are drawn from whatever probe table has the right columns.
/// </summary>
internal static class ParquetColumns
{
    /// <summary>The column names of <paramref name="path"/> (footer only).</summary>
    public static async Task<IReadOnlyList<DataField>> FieldsAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            ParquetFooterCheck.Check(path);
            await using ParquetReader reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return reader.Schema.DataFields;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new MemScanException($"{path} is corrupt: {e.Message}", e);
        }
    }

    /// <summary>
    /// Columns <paramref name="names"/> of every row as doubles (booleans read as 0/1; nulls as NaN),
    /// one array per name.
    /// </summary>
    public static async Task<double[][]> ReadAsync(string path, IReadOnlyList<string> names, CancellationToken cancellationToken = default)
    {
        var columns = names.Select(_ => new List<double>()).ToArray();
        try
        {
            ParquetFooterCheck.Check(path);
            await using ParquetReader reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            DataField[] fields = names.Select(n => reader.Schema.DataFields.FirstOrDefault(f => f.Name == n)
                ?? throw new MemScanException($"{path} has no column '{n}'")).ToArray();
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
                int n = checked((int)group.RowCount);
                for (int c = 0; c < fields.Length; c++)
                    columns[c].AddRange(await ReadColumnAsync(group, fields[c], n, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (Exception e) when (e is not (MemScanException or OperationCanceledException))
        {
            throw new MemScanException($"{path} is corrupt: {e.Message}", e);
        }
        return columns.Select(c => c.ToArray()).ToArray();
    }

    /// <summary>True when a field holds numbers or booleans this reader can plot.</summary>
    public static bool IsNumeric(DataField field) =>
        (Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType) is var t && !field.IsArray &&
        (t == typeof(double) || t == typeof(float) || t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(bool));

    private static async Task<double[]> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int n, CancellationToken ct)
    {
        Type type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (field.IsNullable)
        {
            if (type == typeof(double)) return Convert(await Read<double>(group, field, n, ct), v => v);
            if (type == typeof(float)) return Convert(await Read<float>(group, field, n, ct), v => v);
            if (type == typeof(int)) return Convert(await Read<int>(group, field, n, ct), v => v);
            if (type == typeof(long)) return Convert(await Read<long>(group, field, n, ct), v => v);
            if (type == typeof(short)) return Convert(await Read<short>(group, field, n, ct), v => v);
            if (type == typeof(bool)) return Convert(await Read<bool>(group, field, n, ct), v => v ? 1 : 0);
        }
        else
        {
            if (type == typeof(double)) return await ReadRequired<double>(group, field, n, ct, v => v);
            if (type == typeof(float)) return await ReadRequired<float>(group, field, n, ct, v => v);
            if (type == typeof(int)) return await ReadRequired<int>(group, field, n, ct, v => v);
            if (type == typeof(long)) return await ReadRequired<long>(group, field, n, ct, v => v);
            if (type == typeof(short)) return await ReadRequired<short>(group, field, n, ct, v => v);
            if (type == typeof(bool)) return await ReadRequired<bool>(group, field, n, ct, v => v ? 1 : 0);
        }
        throw new MemScanException(
            $"column '{field.Name}' is {type.Name.ToLower(CultureInfo.InvariantCulture)}, not a number");
    }

    private static async Task<T?[]> Read<T>(ParquetRowGroupReader group, DataField field, int n, CancellationToken ct)
        where T : struct
    {
        var values = new T?[n];
        await group.ReadAsync<T>(field, values, null, ct).ConfigureAwait(false);
        return values;
    }

    private static async Task<double[]> ReadRequired<T>(ParquetRowGroupReader group, DataField field, int n,
        CancellationToken ct, Func<T, double> toDouble) where T : struct
    {
        var values = new T[n];
        await group.ReadAsync<T>(field, values, null, ct).ConfigureAwait(false);
        return values.Select(toDouble).ToArray();
    }

    private static double[] Convert<T>(T?[] values, Func<T, double> toDouble) where T : struct =>
        values.Select(v => v is { } x ? toDouble(x) : double.NaN).ToArray();
}
