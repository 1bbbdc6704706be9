namespace MemScan.Scanner.Isolation;

/// <summary>What a request or response between the scanner and its model host is.</summary>
internal enum HostMessage
{
    Ready = 1,
    Advance = 2,
    Result = 3,
    Error = 4,
    Quit = 5,
    /// <summary>Scanner: map this shared answer region (path, bytes) instead of the last one.</summary>
    MapRegion = 6,
    /// <summary>Host: the region is mapped; answers asked for in it go there.</summary>
    RegionMapped = 7,
}
