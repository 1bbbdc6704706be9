namespace MemScan.Tui.Data;

/// <summary>One example's loss and whether it was in the training set (columns <c>loss</c>, <c>is_member</c>).</summary>
internal sealed record MemberLoss(double Loss, bool IsMember);
