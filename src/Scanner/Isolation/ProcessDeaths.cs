namespace MemScan.Scanner.Isolation;

/// <summary>
/// Words for a child process (the model host, a supervised scan) that died by a signal. SIGKILL
/// is set apart: ONNX Runtime cannot raise it on itself, so a model's bad bytes do not end in it;
/// the kernel's out-of-memory killer does (a host whose runs outgrew the machine), and so does a
/// person's <c>kill -9</c>. Calling that "corrupt or hostile" sent users after the wrong cause.
/// </summary>
internal static class ProcessDeaths
{
    const int SigKill = 9;

    /// <summary>The signal of an exit code .NET reports as 128 + N, or null for an ordinary exit.</summary>
    public static int? Signal(int exitCode) => exitCode > 128 ? exitCode - 128 : null;

    public static bool Killed(int exitCode) => Signal(exitCode) == SigKill;

    /// <summary>"was killed (signal 9: out of memory?) while running M; lower --memory-budget or --batch", for <paramref name="who"/>.</summary>
    public static string KilledMessage(string who, string doing, string modelPath) =>
        $"{who} was killed while {doing} {modelPath} (signal 9: out of memory? the kernel's out-of-memory killer sends it); " +
        "lower --memory-budget or --batch, or free memory on this machine";
}
