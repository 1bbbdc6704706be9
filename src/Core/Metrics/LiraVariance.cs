namespace MemScan.Scanner.Metrics;

/// <summary>How LiRA estimates the spread of the in/out confidence distributions.</summary>
public enum LiraVariance
{
    /// <summary>One standard deviation per example, from its own reference models (needs ≥ 2 per side; best with many, ~64+).</summary>
    PerExample,

    /// <summary>
    /// One pooled standard deviation per side shared by all examples (Carlini et al. 2022 §IV-C "fixed
    /// variance", better with few reference models): √(Σᵢ Σⱼ (φᵢⱼ - φ̄ᵢ)² / Σᵢ (nᵢ - 1)), the spread
    /// within examples (not between their means, as the authors' np.std over all values would include).
    /// </summary>
    Global,
}
