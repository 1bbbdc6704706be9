namespace MemScan.Scanner.Isolation;

/// <summary>What a request or response between the scanner and its model host is.</summary>
internal enum HostMessage
{
    Ready = 1,
    Advance = 2,
    Result = 3,
    Error = 4,
    Quit = 5,
    /// <summary>A whole decoding loop (<see cref="DecodeLoopRequest"/>); answered by a <see cref="Result"/> of tokens and log-probs.</summary>
    Decode = 6,
    /// <summary>A whole scoring loop (<see cref="ScoringLoopRequest"/>); answered by a <see cref="Result"/> of two numbers a position.</summary>
    ScorePositions = 7,
}
