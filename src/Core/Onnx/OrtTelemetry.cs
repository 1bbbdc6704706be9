using System.Runtime.InteropServices;
namespace MemScan.Scanner.Onnx;

/// <summary>
/// ONNX Runtime's telemetry, off. Since 1.29 the Linux and macOS packages log events (model file
/// and graph names, producer, errors) to <c>~/.cache/Microsoft/DeveloperTools/.onnxruntime/</c>, keep
/// a session file in the temp folder, and upload them; a scanner of private models must send nothing
/// about them anywhere. <c>DisableTelemetryEvents</c> needs an environment and so comes too late for
/// the event logged while the environment is created; <c>ORT_DISABLE_TELEMETRY=1</c> set before
/// ONNX Runtime starts turns all of it off (no uploader, no device id, no cache). Set in the native
/// environment for this process (in Core, which has no ONNX Runtime: the shared entry point
/// calls it first thing) (.NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// changes only its managed copy) and in the managed one, which the model host child inherits.
/// </summary>
public static partial class OrtTelemetry
{
    public const string Variable = "ORT_DISABLE_TELEMETRY";
    static readonly Lock Gate = new();
    static bool _done;

    /// <summary>Call before the first ONNX Runtime call of the process; the executables call it first thing.</summary>
    public static void DisableBeforeFirstUse()
    {
        lock (Gate)
        {
            if (_done) return;
            Environment.SetEnvironmentVariable(Variable, "1");
            if (!OperatingSystem.IsWindows() && setenv(Variable, "1", 1) != 0)
                throw new InvalidOperationException($"setenv {Variable} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            _done = true;
        }
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int setenv(string name, string value, int overwrite);
}
