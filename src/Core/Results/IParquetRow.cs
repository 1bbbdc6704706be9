namespace MemScan.Scanner.Results;

/// <summary>
/// A class whose public properties are the columns of one MemScan Parquet table. Name columns with
/// <c>[JsonPropertyName("snake_case")]</c> (Parquet.Net's serializer honours it); use nullable
/// value types (<c>long?</c>) for nullable columns and a parameterless constructor.
/// </summary>
public interface IParquetRow
{
    /// <summary>What the table is called in messages and file metadata, e.g. "findings".</summary>
    static abstract string TableName { get; }
}
