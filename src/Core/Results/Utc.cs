namespace MemScan.Scanner.Results;

/// <summary>Timestamps in results are UTC; Parquet readers hand them back with an unspecified kind.</summary>
internal static class Utc
{
    /// <summary>Local times are converted; unspecified ones are taken to be UTC already.</summary>
    public static DateTime Normalize(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

}
