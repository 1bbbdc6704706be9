using System.Globalization;

namespace MemScan.Bench;

/// <summary>
/// Resident memory of a process from /proc/PID/status: VmRSS (now) and VmHWM (its high-water
/// mark), in MiB; null where the process is gone or the field is missing (not Linux). One reader
/// for every section of the bench, which compares these numbers across sections.
/// </summary>
public static class ProcMemory
{
    public static double? ResidentMiB(string pid = "self") => Field(pid, "VmRSS:");

    public static double? PeakMiB(string pid = "self") => Field(pid, "VmHWM:");

    /// <summary>
    /// Sets this process's VmHWM back to its VmRSS (Linux 4.0+, "5" to clear_refs), so that the next
    /// peak read is the peak of what runs after this call. False where the kernel refused.
    /// </summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    static double? Field(string pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith(field, StringComparison.Ordinal))
                    return double.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
