using System.Diagnostics;
using System.Globalization;

namespace MemScan.Trainer.Training;

/// <summary>
/// Reports a training loop's progress: loss, throughput (chars, tokens or images per second) and the
/// time left. On an interactive terminal it draws one bar redrawn in place at most ~8 times a
/// second; into a file, a pipe or a test's writer it prints about 20 plain lines per run, so logs
/// stay readable and grep-able. Rates count only the work done in this process, so a resumed run
/// does not report the checkpoint's steps as instantaneous.
/// </summary>
public sealed class TrainingProgress
{
    const int BarWidth = 24;
    static readonly TimeSpan RedrawEvery = TimeSpan.FromMilliseconds(125);

    readonly TextWriter? log;
    readonly string label, stepWord, unit, lossUnit;
    readonly long total, start;
    readonly double unitsPerStep;
    readonly bool interactive;
    readonly long lineEvery;
    readonly Stopwatch watch = Stopwatch.StartNew();
    TimeSpan? lastDraw;
    int lastWidth;

    /// <param name="log">where to report; null reports nothing</param>
    /// <param name="label">what is training ("target", "ref-03"); empty for a single model</param>
    /// <param name="stepWord">the loop's unit as shown: "step" or "epoch"</param>
    /// <param name="total">the last step (or epoch) of the run</param>
    /// <param name="start">the step the run resumed from (0 for a fresh run)</param>
    /// <param name="unitsPerStep">characters, tokens or images one step processes</param>
    /// <param name="unit">what <paramref name="unitsPerStep"/> counts: "chars", "tokens", "images"</param>
    /// <param name="lossUnit">shown after the loss, e.g. "nats/char"; may be empty</param>
    /// <param name="interactive">draw a bar; null decides: only when <paramref name="log"/> is a console that is not redirected</param>
    public TrainingProgress(TextWriter? log, string label, string stepWord, long total, long start, double unitsPerStep,
        string unit, string lossUnit = "", bool? interactive = null)
    {
        this.log = log;
        this.label = label.Length == 0 ? "" : label + " ";
        this.stepWord = stepWord;
        this.total = total;
        this.start = start;
        this.unitsPerStep = unitsPerStep;
        this.unit = unit;
        this.lossUnit = lossUnit.Length == 0 ? "" : " " + lossUnit;
        this.interactive = interactive ?? (log is not null && ReferenceEquals(log, Console.Out) && !Console.IsOutputRedirected);
        lineEvery = Math.Max(1, total / 20);
    }

    /// <summary>Step <paramref name="done"/> of the run finished with (smoothed) loss <paramref name="loss"/>.</summary>
    public void Report(long done, double loss)
    {
        if (log is null) return;
        bool last = done >= total;
        if (interactive)
        {
            var now = watch.Elapsed;
            if (!last && now - lastDraw < RedrawEvery) return; // null (never drawn) compares false
            lastDraw = now;
            string line = $"  {label}{Bar(done)} {Status(done, loss)}";
            // Pad over the previous draw: the status can get shorter (eta 100s → 99s).
            log.Write("\r" + line.PadRight(lastWidth));
            lastWidth = line.Length;
            if (last) log.WriteLine();
            log.Flush();
        }
        else if (done % lineEvery == 0 || last)
        {
            log.WriteLine($"  {label}{Status(done, loss)}");
        }
    }

    string Bar(long done)
    {
        double fraction = total == 0 ? 1 : Math.Clamp((double)done / total, 0, 1);
        int filled = (int)Math.Round(fraction * BarWidth);
        return $"[{new string('█', filled)}{new string('░', BarWidth - filled)}] {(int)(fraction * 100),3}%";
    }

    string Status(long done, double loss)
    {
        double seconds = watch.Elapsed.TotalSeconds;
        long doneHere = done - start;
        double rate = doneHere > 0 && seconds > 0 ? doneHere * unitsPerStep / seconds : 0;
        double eta = doneHere > 0 ? (total - done) * seconds / doneHere : double.NaN;
        string width = total.ToString(CultureInfo.InvariantCulture).Length.ToString(CultureInfo.InvariantCulture);
        return string.Format(CultureInfo.InvariantCulture,
            "{0} {1," + width + "}/{2}  loss {3:F3}{4}  {5,8:F0} {6}/s  eta {7}",
            stepWord, done, total, loss, lossUnit, rate, unit, Duration(eta));
    }

    /// <summary>"42s", "3m07s", "2h05m"; "?" before the first step.</summary>
    public static string Duration(double seconds)
    {
        if (double.IsNaN(seconds) || double.IsInfinity(seconds)) return "?";
        var t = TimeSpan.FromSeconds(Math.Max(0, Math.Round(seconds)));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m"
            : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds:D2}s"
            : $"{t.Seconds}s";
    }
}
