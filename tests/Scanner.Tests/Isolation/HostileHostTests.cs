using MemScan.Scanner.Isolation;
using Xunit;

namespace MemScan.Scanner.Tests.Isolation;

/// <summary>
/// The scanner treats what its model host says as hostile: a fake host (its answers recorded in
/// advance, which the strict request/answer protocol allows) sends wrong lengths, unasked-for data,
/// absurd sizes or nothing, and each is one clear <see cref="MemScanException"/>, never a hang, an
/// out-of-range read or a huge allocation; the model then refuses further work with the same message.
/// </summary>
public sealed class HostileHostTests
{
    const int Vocab = 4;

    /// <summary>A host that announces a 4-token model, then says whatever <paramref name="answer"/> writes.</summary>
    internal static IsolatedLanguageModel FakeHost(Action<HostFrames> answer)
    {
        var script = new MemoryStream();
        var f = new HostFrames(Stream.Null, script);
        f.WriteInt((int)HostMessage.Ready);
        f.WriteInt(Vocab);
        f.WriteBool(true);
        f.WriteString("fake");
        f.WriteInt(ModelHostServer.NoContext);
        f.WriteString("");
        f.WriteLong(1 << 30);
        answer(f);
        f.Flush();
        script.Position = 0;
        return IsolatedLanguageModel.Connect(script, Stream.Null, "fake.onnx");
    }

    static void Result(HostFrames f, long heldBytes = 64, bool tokenLogProbs = false)
    {
        f.WriteInt((int)HostMessage.Result);
        f.WriteLong(heldBytes);
        f.WriteLong(0); // largest run
        f.WriteBool(tokenLogProbs);
    }

    static MemScanException Refused(IsolatedLanguageModel model, string expected, bool wantLogProbs = false)
    {
        var e = Assert.Throws<MemScanException>(() =>
        {
            if (wantLogProbs) model.Advance([model.Initial], [[1, 2]], out _);
            else model.Advance([model.Initial], [[1, 2]]);
        });
        Assert.Contains("fake.onnx", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Contains("corrupt or hostile", e.Message);
        // Broken for good: the next call fails the same way without touching the pipe.
        var again = Assert.Throws<MemScanException>(() => model.Advance([model.Initial], [[3]]));
        Assert.Equal(e.Message, again.Message);
        return e;
    }

    [Fact]
    public void A_well_behaved_fake_host_is_understood()
    {
        using var model = FakeHost(f =>
        {
            Result(f);
            f.WriteFloats([-1f, -2f, -3f, -4f]);
        });
        var state = model.Advance([model.Initial], [[1, 2]])[0];
        Assert.Equal([-1f, -2f, -3f, -4f], state.NextLogProbs);
        Assert.Equal([1, 2], state.History);
    }

    [Fact]
    public void Log_probs_of_the_wrong_length_are_refused()
    {
        using var model = FakeHost(f =>
        {
            Result(f);
            f.WriteFloats([-1f, -2f, -3f]);
        });
        Refused(model, "next-token log-probs of row 0: 3 values where 4 were expected");
    }

    [Fact]
    public void A_well_behaved_answer_of_wanted_tokens_only_is_understood()
    {
        using var model = FakeHost(f =>
        {
            Result(f);
            f.WriteFloats([-2.5f, -0.5f]);
        });
        var state = model.Advance([model.Initial], [[1, 2]], [[3, 0]])[0];
        Assert.Equal(-2.5f, state.NextLogProb(3));
        Assert.Equal(-0.5f, state.NextLogProb(0));
    }

    [Fact]
    public void A_full_row_where_only_wanted_tokens_were_asked_for_is_refused()
    {
        using var model = FakeHost(f =>
        {
            Result(f);
            f.WriteFloats([-1f, -2f, -3f, -4f]);
        });
        var e = Assert.Throws<MemScanException>(() => model.Advance([model.Initial], [[1, 2]], [[3, 0]]));
        Assert.Contains("next-token log-probs of row 0: 4 values where 2 were expected", e.Message);
        Assert.Contains("corrupt or hostile", e.Message);
    }

    [Fact]
    public void Fewer_log_probs_than_wanted_tokens_are_refused()
    {
        using var model = FakeHost(f =>
        {
            Result(f);
            f.WriteFloats([-1f]);
        });
        var e = Assert.Throws<MemScanException>(() => model.Advance([model.Initial], [[1, 2]], [[3, 0]]));
        Assert.Contains("next-token log-probs of row 0: 1 values where 2 were expected", e.Message);
    }

    [Fact]
    public void An_absurd_length_is_refused_before_anything_is_allocated()
    {
        using var model = FakeHost(f =>
        {
            Result(f);
            f.WriteInt(int.MaxValue);
        });
        Refused(model, $"announces {int.MaxValue} elements");
    }

    [Fact]
    public void Per_token_log_probs_nobody_asked_for_are_refused()
    {
        using var model = FakeHost(f => Result(f, tokenLogProbs: true));
        Refused(model, "per-token log-probs nobody asked for");
    }

    [Fact]
    public void Per_token_log_probs_of_the_wrong_length_are_refused()
    {
        using var model = FakeHost(f =>
        {
            Result(f, tokenLogProbs: true);
            f.WriteFloats([-1f, -2f, -3f, -4f]);
            f.WriteFloats([0f, -1f, -2f]);
        });
        Refused(model, "per-token log-probs of row 0: 3 values where 2 were expected", wantLogProbs: true);
    }

    [Fact]
    public void A_negative_state_size_is_refused()
    {
        using var model = FakeHost(f => Result(f, heldBytes: -5));
        Refused(model, "claims to hold -5 bytes");
    }

    [Fact]
    public void An_answer_that_is_not_a_result_is_refused()
    {
        using var model = FakeHost(f => f.WriteInt((int)HostMessage.Ready));
        Refused(model, "said Ready instead of a result");
    }

    [Fact]
    public void A_host_that_stops_mid_answer_is_reported()
    {
        using var model = FakeHost(f =>
        {
            Result(f);
            f.WriteInt(Vocab);
            f.WriteFloats([-1f]); // fewer bytes than announced, then the pipe ends
        });
        Refused(model, "went away while running");
    }

    [Fact]
    public void An_error_the_host_reports_is_passed_on_and_the_model_stays_usable()
    {
        using var model = FakeHost(f =>
        {
            f.WriteInt((int)HostMessage.Error);
            f.WriteString("fake.onnx: cannot feed 2 token(s)");
            Result(f);
            f.WriteFloats([-1f, -2f, -3f, -4f]);
        });
        var e = Assert.Throws<MemScanException>(() => model.Advance([model.Initial], [[1, 2]]));
        Assert.Equal("fake.onnx: cannot feed 2 token(s)", e.Message);
        Assert.Equal([-1f, -2f, -3f, -4f], model.Advance([model.Initial], [[1]])[0].NextLogProbs);
    }

    /// <summary>A top-<paramref name="k"/> request that must be refused with <paramref name="expected"/> in the message.</summary>
    static void RefusedTop(IsolatedLanguageModel model, int k, string expected)
    {
        var e = Assert.Throws<MemScanException>(() => model.Advance([model.Initial], [[1, 2]], topNext: k));
        Assert.Contains("fake.onnx", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Contains("corrupt or hostile", e.Message);
        Assert.Equal(e.Message, Assert.Throws<MemScanException>(() => model.Advance([model.Initial], [[3]])).Message);
    }

    /// <summary>A fake host answering one row with these top ids and log-probs.</summary>
    static IsolatedLanguageModel TopAnswer(int[] tokens, float[] logProbs) => FakeHost(f =>
    {
        Result(f);
        f.WriteInts(tokens);
        f.WriteFloats(logProbs);
    });

    [Fact]
    public void A_well_behaved_top_k_answer_is_understood()
    {
        using var model = TopAnswer([2, 0, 3], [-0.5f, -1.5f, -1.5f]);
        var state = model.Advance([model.Initial], [[1, 2]], topNext: 3)[0];
        Assert.Equal([2, 0, 3], state.Top!.Tokens);
        Assert.Equal([-0.5f, -1.5f, -1.5f], state.Top.LogProbs);
        Assert.Equal(-1.5f, state.NextLogProb(3));
    }

    [Fact]
    public void A_top_k_beyond_the_vocabulary_is_answered_by_the_whole_vocabulary()
    {
        using var model = TopAnswer([1, 0, 2, 3], [-1f, -2f, -3f, -4f]);
        Assert.Equal([1, 0, 2, 3], model.Advance([model.Initial], [[1, 2]], topNext: 40)[0].Top!.Tokens);
    }

    [Fact]
    public void A_full_row_where_the_top_k_was_asked_for_is_refused()
    {
        using var model = FakeHost(f =>
        {
            Result(f);
            f.WriteFloats([-1f, -2f, -3f, -4f]);
        });
        RefusedTop(model, 2, "top next-token ids of row 0: 4 values where 2 were expected");
    }

    [Fact]
    public void Top_k_ids_of_the_wrong_count_are_refused()
    {
        using var model = TopAnswer([2, 0, 1], [-1f, -2f, -3f]);
        RefusedTop(model, 2, "top next-token ids of row 0: 3 values where 2 were expected");
    }

    [Fact]
    public void Top_k_log_probs_of_the_wrong_count_are_refused()
    {
        using var model = TopAnswer([2, 0], [-1f]);
        RefusedTop(model, 2, "next-token log-probs of row 0: 1 values where 2 were expected");
    }

    [Theory]
    [InlineData(new[] { 2, 4 }, new[] { -1f, -2f }, "token id 4 is outside the vocabulary of 4")]
    [InlineData(new[] { -3, 1 }, new[] { -1f, -2f }, "token id -3 is outside the vocabulary of 4")]
    [InlineData(new[] { 2, 2 }, new[] { -1f, -2f }, "token id 2 appears twice")]
    [InlineData(new[] { 2, 0 }, new[] { -2f, -1f }, "entry 1 (token 0, -1) is more likely than entry 0 (token 2, -2)")]
    [InlineData(new[] { 2, 0 }, new[] { -1f, -1f }, "entries 0 and 1 tie but token 0 comes after 2")]
    public void Top_k_answers_out_of_range_repeated_or_out_of_order_are_refused(int[] tokens, float[] logProbs, string expected)
    {
        using var model = TopAnswer(tokens, logProbs);
        RefusedTop(model, 2, "top 2 next tokens of row 0: " + expected);
    }
}
