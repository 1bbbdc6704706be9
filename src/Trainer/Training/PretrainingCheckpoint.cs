using System.Text.Json;
using MemScan.Scanner;
using MemScan.Scanner.Manifest;

namespace MemScan.Trainer.Training;

/// <summary>
/// <c>checkpoint/pretraining.json</c>: the random-label pre-training phase's record, written beside
/// the checkpoint as soon as that phase ends. A resumed run loads weights that already went
/// through pre-training and does not repeat it, so this file is the only place its record (epochs,
/// loss, how many random labels it fitted) survives to reach the final manifest.
/// </summary>
public static class PretrainingCheckpoint
{
    public const string FileName = "pretraining.json";
    const long MaxBytes = 64 << 10;

    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public static string PathIn(string checkpointDir) => Path.Combine(checkpointDir, FileName);

    public static void Save(string checkpointDir, PretrainingRecord record)
    {
        Directory.CreateDirectory(checkpointDir);
        Scanner.Results.AtomicFile.WriteAllText(PathIn(checkpointDir), JsonSerializer.Serialize(record, Json));
    }

    /// <summary>
    /// The record a resumed run's pre-training left, with the fine-tuning epochs of this run (a resume
    /// may extend them); null when the checkpoint folder has none (a run from before this file existed).
    /// </summary>
    public static PretrainingRecord? Load(string checkpointDir, int fineTuneEpochs)
    {
        string path = PathIn(checkpointDir);
        if (!File.Exists(path)) return null;
        string text = InputFile.ReadAllText(path, "pre-training record", MaxBytes);
        PretrainingRecord? record;
        try
        {
            record = JsonSerializer.Deserialize<PretrainingRecord>(text, Json);
        }
        catch (JsonException e)
        {
            throw new MemScanException($"pre-training record {path} is not valid JSON: {e.Message}");
        }
        if (record is null) throw new MemScanException($"pre-training record {path} is empty");
        return record with { FineTuneEpochs = fineTuneEpochs };
    }
}
