namespace MemScan.Trainer.Privacy;

/// <summary>How an RDP curve becomes an (ε, δ) guarantee, minimized over the orders α.</summary>
public enum EpsilonConversion
{
    /// <summary>
    /// Mironov 2017, Prop. 3: ε = RDP(α) − log δ / (α − 1). What TF Privacy's original
    /// <c>get_privacy_spent</c> and its published tutorial figures use.
    /// </summary>
    Classic,

    /// <summary>
    /// Balle et al. 2020, Thm. 21: ε = RDP(α) + log((α − 1)/α) − (log δ + log α)/(α − 1). Always at
    /// most the classic value; what Opacus's <c>get_privacy_spent</c> and dp_accounting use. The default.
    /// </summary>
    Improved,
}
