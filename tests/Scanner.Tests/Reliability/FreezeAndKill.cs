using System.Diagnostics;
using System.Runtime.InteropServices;
using Xunit;

namespace MemScan.Scanner.Tests.Reliability;

/// <summary>
/// SIGKILLs a child in a state the test has seen. Polling a file and then killing lets the child run
/// on between the look and the kill (on a loaded machine, long enough to finish the work the kill was
/// meant to interrupt); here each look happens while the child is frozen (SIGSTOP, every thread
/// stopped), so the kill lands exactly in the state the condition accepted. Otherwise the child is
/// let go on (SIGCONT) and looked at again.
/// </summary>
internal static class FreezeAndKill
{
    const int SigKill = 9, SigCont = 18, SigStop = 19; // Linux

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);

    /// <param name="condition">read from what the frozen child left on disk: kill it now?</param>
    /// <param name="cpuBudget">the child's own CPU time allowed to reach the condition (a loaded machine slows it, it does not hang it)</param>
    public static void When(Process process, Func<bool> condition, TimeSpan cpuBudget, Func<string> stderr)
    {
        while (true)
        {
            // the message reads stderr, which blocks until the child exits: build it only then
            if (process.HasExited) Assert.Fail($"the child ended (code {process.ExitCode}) before it could be killed: {stderr()}");
            Assert.True(process.TotalProcessorTime < cpuBudget, $"the condition was not reached within {cpuBudget.TotalSeconds:F0} s of the child's CPU time");
            Signal(process, SigStop);
            if (!WaitStopped(process)) continue; // it exited meanwhile: reported above
            if (condition())
            {
                Signal(process, SigKill); // a stopped process dies of SIGKILL at once: no handler, no finally block
                process.WaitForExit();
                return;
            }
            Signal(process, SigCont);
            Thread.Sleep(10);
        }
    }

    static void Signal(Process process, int signal)
    {
        if (kill(process.Id, signal) != 0 && !process.HasExited)
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>SIGSTOP is delivered asynchronously: waits until every thread of the child shows state T (stopped); false if it exited.</summary>
    static bool WaitStopped(Process process)
    {
        while (true)
        {
            try
            {
                if (Directory.GetDirectories($"/proc/{process.Id}/task").All(Stopped)) return true;
            }
            catch (IOException) { }
            if (process.HasExited) return false;
            Thread.Sleep(1);
        }
    }

    /// <summary>The state field of /proc/PID/task/TID/stat: after the command name in parentheses (which may hold spaces).</summary>
    static bool Stopped(string task)
    {
        try
        {
            string stat = File.ReadAllText(Path.Combine(task, "stat"));
            char state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is 'T' or 't' or 'Z' or 'X';
        }
        catch (IOException) { return true; } // the thread is gone
    }
}
