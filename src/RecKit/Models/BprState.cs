using RecKit.Data;
using RecKit.Kernels;

namespace RecKit.Models;

/// <summary>Parameters, and Adam's per-row moments and step counts when that path runs.</summary>
internal sealed class BprState(float[] p, float[] q, float[] b, int k)
{
    public float[] P { get; } = p;

    public float[] Q { get; } = q;

    public float[] B { get; } = b;

    public int Items => B.Length;

    public float[] GradP { get; private set; } = [];

    public float[] GradQ { get; private set; } = [];

    public float[] GradB { get; private set; } = [];

    public float[] MP { get; private set; } = [];

    public float[] VP { get; private set; } = [];

    public float[] MQ { get; private set; } = [];

    public float[] VQ { get; private set; } = [];

    public float[] MB { get; private set; } = [];

    public float[] VB { get; private set; } = [];

    public int[] UserSteps { get; private set; } = [];

    public int[] ItemSteps { get; private set; } = [];

    public bool[] UserTouched { get; private set; } = [];

    public bool[] ItemTouched { get; private set; } = [];

    public static BprState Random(int users, int items, int k, float std, int seed)
    {
        var random = new FastRandom((ulong)seed);
        var p = new float[users * k];
        var q = new float[items * k];
        random.FillGaussian(p, std);
        random.FillGaussian(q, std);
        return new BprState(p, q, new float[items], k);
    }

    private (float, float)[] _corrections = [(0f, 0f)];

    /// <summary>Adam's bias corrections for step counts 1..<paramref name="steps"/> (index = step count); a row takes
    /// at most one step a batch, so the number of batches so far bounds every row's count.</summary>
    public (float C1, float C2)[] AdamCorrections(int steps)
    {
        if (_corrections.Length <= steps)
        {
            var table = new (float, float)[Math.Max(steps + 1, _corrections.Length * 2)];
            for (var t = 1; t < table.Length; t++)
            {
                table[t] = (AdamStep.Correction1(t), AdamStep.Correction2(t));
            }

            _corrections = table;
        }

        return _corrections;
    }

    /// <summary>The epoch's shuffled sample positions, one buffer reused by every epoch.</summary>
    public int[] SampleOrder { get; private set; } = [];

    public void EnsureAdam(int samples)
    {
        if (SampleOrder.Length != samples)
        {
            SampleOrder = new int[samples];
        }

        if (MP.Length == P.Length)
        {
            return;
        }

        (GradP, MP, VP) = (new float[P.Length], new float[P.Length], new float[P.Length]);
        (GradQ, MQ, VQ) = (new float[Q.Length], new float[Q.Length], new float[Q.Length]);
        (GradB, MB, VB) = (new float[B.Length], new float[B.Length], new float[B.Length]);
        UserSteps = new int[P.Length / k];
        ItemSteps = new int[B.Length];
        UserTouched = new bool[P.Length / k];
        ItemTouched = new bool[B.Length];
    }

    private RowReplica[]? _itemReplicas;

    /// <summary>One private copy of the item rows per Hogwild thread, made once per fit.</summary>
    public RowReplica[] ItemReplicas(int threads)
    {
        if (_itemReplicas?.Length != threads)
        {
            var mergeLock = new object();
            _itemReplicas = Enumerable.Range(0, threads).Select(_ => new RowReplica(Q, B, k, mergeLock)).ToArray();
        }

        return _itemReplicas;
    }

    /// <summary>Adam's moments and per-row step counts, copied (a checkpoint needs them to resume exactly).</summary>
    public TrainerState ExportAdam()
    {
        var state = new TrainerState();
        foreach (var (name, values) in new[] { ("mP", MP), ("vP", VP), ("mQ", MQ), ("vQ", VQ), ("mB", MB), ("vB", VB) })
        {
            state.Floats[name] = (float[])values.Clone();
        }

        state.Ints["userSteps"] = (int[])UserSteps.Clone();
        state.Ints["itemSteps"] = (int[])ItemSteps.Clone();
        return state;
    }

    /// <summary>Takes Adam's moments and step counts from a checkpoint.</summary>
    public void RestoreAdam(TrainerState state, int samples)
    {
        EnsureAdam(samples);
        state.RequireValues("mP", MP.Length).CopyTo(MP, 0);
        state.RequireValues("vP", VP.Length).CopyTo(VP, 0);
        state.RequireValues("mQ", MQ.Length).CopyTo(MQ, 0);
        state.RequireValues("vQ", VQ.Length).CopyTo(VQ, 0);
        state.RequireValues("mB", MB.Length).CopyTo(MB, 0);
        state.RequireValues("vB", VB.Length).CopyTo(VB, 0);
        state.RequireCounts("userSteps", UserSteps.Length).CopyTo(UserSteps, 0);
        state.RequireCounts("itemSteps", ItemSteps.Length).CopyTo(ItemSteps, 0);
    }

    public BprState Clone() => new((float[])P.Clone(), (float[])Q.Clone(), (float[])B.Clone(), k);
}
