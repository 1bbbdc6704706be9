using System.Text.Json;
using MemScan.Scanner;
using MemScan.Scanner.Results;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MemScan.Trainer.Checkpoints;

/// <summary>
/// Where a training run stands: its step, the smoothed loss, and a fingerprint of everything that
/// determines the run (config, data), so a checkpoint is never resumed into a different run.
/// </summary>
public sealed record CheckpointState(long Step, double Loss, string Fingerprint);

/// <summary>
/// Saves and restores a run as one file, <c>DIR/checkpoint.bin</c>, written atomically (temp file
/// + rename, <see cref="AtomicFile"/>): a kill during a save leaves the previous checkpoint. The file
/// holds a magic line, the <see cref="CheckpointState"/> as JSON, the module's parameters and buffers
/// (TorchSharp's state-dict format), the optimizer's state (Adam's step counts and moments) and a
/// SHA-256 of all of that: a flipped bit in a weight would otherwise load and silently continue a
/// different run.
/// <para>
/// No RNG state is stored: the trainers draw every step's randomness from (seed, step)
/// (<see cref="Privacy.StepSeed"/>) or replay their sampler, so step + weights + optimizer state
/// determine the rest of the run.
/// </para>
/// </summary>
public static class TrainingCheckpoint
{
    public const string FileName = "checkpoint.bin";
    const string Magic = "memscan-checkpoint/2", OlderMagic = "memscan-checkpoint/1";
    const int HashBytes = 32;

    /// <summary>The largest checkpoint read back (it is read whole to check its SHA-256; one array holds at most 2 GiB).</summary>
    public const long MaxBytes = int.MaxValue;

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    public static void Save(string directory, nn.Module module, optim.Optimizer optimizer, CheckpointState state)
    {
        var helper = AsHelper(optimizer);
        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(JsonSerializer.Serialize(state));
            module.save(writer);
            helper.save_state_dict(writer);
        }
        var bytes = body.GetBuffer().AsSpan(0, (int)body.Length);
        var hash = System.Security.Cryptography.SHA256.HashData(bytes);
        AtomicFile.Write(PathIn(directory), stream =>
        {
            stream.Write(body.GetBuffer(), 0, (int)body.Length);
            stream.Write(hash);
        });
    }

    /// <summary>The state of the checkpoint in <paramref name="directory"/> without loading its tensors; null when there is none or it is unreadable.</summary>
    public static CheckpointState? Peek(string directory)
    {
        try
        {
            using var stream = InputFile.OpenRead(PathIn(directory), "checkpoint", MaxBytes);
            using var reader = new BinaryReader(stream);
            return reader.ReadString() == Magic ? JsonSerializer.Deserialize<CheckpointState>(reader.ReadString()) : null;
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or JsonException or UnauthorizedAccessException or MemScanException)
        {
            return null;
        }
    }

    /// <summary>
    /// Loads the checkpoint in <paramref name="directory"/> into the module and optimizer and returns
    /// its state; null when there is none. A checkpoint of another run (fingerprint) or a corrupt
    /// file is a <see cref="MemScanException"/>, never a silent restart.
    /// </summary>
    public static CheckpointState? TryLoad(string directory, nn.Module module, optim.Optimizer optimizer, string fingerprint)
    {
        string path = PathIn(directory);
        if (InputFile.KindOf(path).Kind == FileKind.Missing) return null;
        var helper = AsHelper(optimizer);
        try
        {
            var bytes = InputFile.ReadAllBytes(path, "checkpoint", MaxBytes);
            if (bytes.Length < HashBytes || !System.Security.Cryptography.SHA256.HashData(bytes.AsSpan(0, bytes.Length - HashBytes))
                    .AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashBytes)))
                throw new MemScanException(StartsWith(bytes, OlderMagic)
                    ? $"checkpoint {path} was written by an older memscan-train (format '{OlderMagic}', no checksum); delete the folder and train again"
                    : $"checkpoint {path} is corrupt: its SHA-256 does not match its contents (a damaged or truncated file); delete it to start afresh");
            using var stream = new MemoryStream(bytes, 0, bytes.Length - HashBytes, writable: false);
            using var reader = new BinaryReader(stream);
            string magic = reader.ReadString();
            if (magic != Magic) throw new MemScanException($"checkpoint {path} has format '{magic}'; expected '{Magic}'");
            var state = JsonSerializer.Deserialize<CheckpointState>(reader.ReadString())
                ?? throw new MemScanException($"checkpoint {path} has no state");
            if (state.Fingerprint != fingerprint)
                throw new MemScanException(
                    $"checkpoint {path} (step {state.Step}) belongs to another run: fingerprint {state.Fingerprint[..12]}, " +
                    $"this config gives {fingerprint[..12]}; delete the folder or train with the config it was made with");
            module.load(reader, strict: true);
            helper.load_state_dict(reader);
            return state;
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or JsonException or ArgumentException or InvalidOperationException)
        {
            throw new MemScanException($"checkpoint {path} is unreadable: {e.Message}", e);
        }
    }

    /// <summary>
    /// Where a run starts: the checkpoint's step and smoothed loss when <paramref name="checkpointing"/>
    /// asks to resume and its folder holds a checkpoint of this run, else step 0 and no loss yet
    /// (NaN). A checkpoint past <paramref name="total"/> (the run asked for fewer steps or epochs
    /// than it already did) is refused.
    /// </summary>
    public static (long Step, double Loss) StartingPoint(Training.Checkpointing? checkpointing, nn.Module module, optim.Optimizer optimizer,
        string fingerprint, long total, string unit, TextWriter? log, string label = "")
    {
        if (checkpointing is not { Resume: true }) return (0, double.NaN);
        DeleteStaleTemps(checkpointing.Directory);
        var state = TryLoad(checkpointing.Directory, module, optimizer, fingerprint);
        if (state is null) return (0, double.NaN);
        if (state.Step > total)
            throw new MemScanException($"checkpoint in {checkpointing.Directory} is at {unit} {state.Step}, beyond the {total} {unit}s asked for");
        log?.WriteLine($"  {(label.Length > 0 ? label + " " : "")}resumed from {unit} {state.Step} ({checkpointing.Directory})");
        return (state.Step, state.Loss);
    }

    /// <summary>Removes the temp files of saves a killed run never committed (the last committed checkpoint is untouched).</summary>
    static void DeleteStaleTemps(string directory)
    {
        if (!Directory.Exists(directory)) return;
        foreach (string temp in Directory.EnumerateFiles(directory, "." + FileName + ".*" + AtomicFile.TempSuffix))
            File.Delete(temp);
    }

    static bool StartsWith(byte[] bytes, string magic)
    {
        var expected = System.Text.Encoding.UTF8.GetBytes(magic);
        // BinaryWriter's string: a 7-bit length prefix (one byte here), then the UTF-8 bytes.
        return bytes.Length > expected.Length && bytes[0] == expected.Length && bytes.AsSpan(1, expected.Length).SequenceEqual(expected);
    }

    static OptimizerHelper AsHelper(optim.Optimizer optimizer) => optimizer as OptimizerHelper
        ?? throw new ArgumentException($"optimizer {optimizer.GetType().Name} cannot save its state (not a TorchSharp OptimizerHelper)", nameof(optimizer));
}
