using RecKit.Data;
using RecKit.Persistence;
using static System.Numerics.Tensors.TensorPrimitives;

namespace RecKit.Models;

/// <summary>
/// The parameters of the two towers, row-major: user IDs P (users × k), user-feature embeddings A (features × k),
/// item IDs Q (items × k), item-feature embeddings B (features × k), item ID biases c and item-feature biases d.
/// </summary>
public sealed class TwoTowerWeights
{
    private TwoTowerWeights(int factors, float[] userIds, float[] userFeatures, float[] itemIds, float[] itemFeatures, float[] itemIdBias, float[] itemFeatureBias)
    {
        Factors = factors;
        UserIds = userIds;
        UserFeatureEmbeddings = userFeatures;
        ItemIds = itemIds;
        ItemFeatureEmbeddings = itemFeatures;
        ItemIdBias = itemIdBias;
        ItemFeatureBias = itemFeatureBias;
    }

    public int Factors { get; }

    internal float[] UserIds { get; }

    internal float[] UserFeatureEmbeddings { get; }

    internal float[] ItemIds { get; }

    internal float[] ItemFeatureEmbeddings { get; }

    internal float[] ItemIdBias { get; }

    internal float[] ItemFeatureBias { get; }

    internal static TwoTowerWeights Random(int users, int items, int userFeatures, int itemFeatures, int k, double std, Random random)
    {
        float[] Init(int n)
        {
            var a = new float[n];
            for (var j = 0; j < n; j++)
            {
                // Box–Muller: one normal draw per weight.
                var u1 = 1.0 - random.NextDouble();
                var u2 = random.NextDouble();
                a[j] = (float)(std * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
            }

            return a;
        }

        return new TwoTowerWeights(k, Init(users * k), Init(userFeatures * k), Init(items * k), Init(itemFeatures * k), new float[items], new float[itemFeatures]);
    }

    internal TwoTowerWeights Clone() => new(Factors, (float[])UserIds.Clone(), (float[])UserFeatureEmbeddings.Clone(), (float[])ItemIds.Clone(), (float[])ItemFeatureEmbeddings.Clone(), (float[])ItemIdBias.Clone(), (float[])ItemFeatureBias.Clone());

    internal void EmbedUser(int user, CsrMatrix features, Span<float> output, bool useIds) =>
        Embed(user, features, UserIds, UserFeatureEmbeddings, output, useIds);

    internal void EmbedItem(int item, CsrMatrix features, Span<float> output, bool useIds) =>
        Embed(item, features, ItemIds, ItemFeatureEmbeddings, output, useIds);

    internal float ItemBias(int item, CsrMatrix features, bool useIds = true)
    {
        return (useIds ? ItemIdBias[item] : 0f) + features.RowDot(item, ItemFeatureBias);
    }

    /// <summary>Gradient ascent on the user tower: every parameter that built e_u moves along <paramref name="direction"/>.</summary>
    internal void StepUser(int user, CsrMatrix features, ReadOnlySpan<float> direction, float step, float decay, bool useIds) =>
        Step(user, features, UserIds, UserFeatureEmbeddings, direction, step, decay, useIds);

    /// <summary>Gradient ascent on the item tower and the item bias (whose gradient is the step's sign).</summary>
    internal void StepItem(int item, CsrMatrix features, ReadOnlySpan<float> direction, float step, float decay, bool useIds) =>
        StepItem(item, features, direction, step, step, decay, useIds);

    /// <summary>Gradient ascent on the item tower along <paramref name="direction"/>, and on the item bias by <paramref name="biasStep"/>.</summary>
    internal void StepItem(int item, CsrMatrix features, ReadOnlySpan<float> direction, float step, float biasStep, float decay, bool useIds)
    {
        Step(item, features, ItemIds, ItemFeatureEmbeddings, direction, step, decay, useIds);
        if (useIds)
        {
            ItemIdBias[item] += biasStep - (decay * ItemIdBias[item]);
        }

        var columns = features.RowColumns(item);
        var values = features.RowValues(item);
        for (var j = 0; j < columns.Length; j++)
        {
            ItemFeatureBias[columns[j]] += (biasStep * values[j]) - (decay * ItemFeatureBias[columns[j]]);
        }
    }

    internal void ZeroUnseenIds(int[] userCounts, int[] itemCounts)
    {
        var k = Factors;
        for (var u = 0; u < userCounts.Length; u++)
        {
            if (userCounts[u] == 0)
            {
                UserIds.AsSpan(u * k, k).Clear();
            }
        }

        for (var i = 0; i < itemCounts.Length; i++)
        {
            if (itemCounts[i] == 0)
            {
                ItemIds.AsSpan(i * k, k).Clear();
                ItemIdBias[i] = 0;
            }
        }
    }

    internal void Write(ModelWriter writer)
    {
        writer.Write(Factors);
        writer.Write(UserIds);
        writer.Write(UserFeatureEmbeddings);
        writer.Write(ItemIds);
        writer.Write(ItemFeatureEmbeddings);
        writer.Write(ItemIdBias);
        writer.Write(ItemFeatureBias);
    }

    internal static TwoTowerWeights Read(ModelReader reader)
    {
        var k = reader.ReadInt32();
        var weights = new TwoTowerWeights(k, reader.ReadSingleArray(), reader.ReadSingleArray(), reader.ReadSingleArray(), reader.ReadSingleArray(), reader.ReadSingleArray(), reader.ReadSingleArray());
        reader.Require(k > 0 && weights.UserIds.Length % k == 0 && weights.ItemIds.Length % k == 0 && weights.ItemIdBias.Length * k == weights.ItemIds.Length, "two-tower weight sizes disagree");
        return weights;
    }

    private void Embed(int row, CsrMatrix features, float[] ids, float[] featureEmbeddings, Span<float> output, bool useIds)
    {
        var k = Factors;
        if (useIds)
        {
            ids.AsSpan(row * k, k).CopyTo(output);
        }
        else
        {
            output.Clear();
        }

        AddFeatures(features, row, featureEmbeddings, output);
    }

    /// <summary>output += Σ_f x_f·F[f] over one row's features: the feature part of a tower's output.</summary>
    internal static void AddFeatures(CsrMatrix features, int row, float[] featureEmbeddings, Span<float> output)
    {
        var k = output.Length;
        var columns = features.RowColumns(row);
        var values = features.RowValues(row);
        for (var j = 0; j < columns.Length; j++)
        {
            MultiplyAdd(featureEmbeddings.AsSpan(columns[j] * k, k), values[j], output, output);
        }
    }

    private void Step(int row, CsrMatrix features, float[] ids, float[] featureEmbeddings, ReadOnlySpan<float> direction, float step, float decay, bool useIds)
    {
        var k = Factors;
        if (useIds)
        {
            var id = ids.AsSpan(row * k, k);
            Multiply(id, 1 - decay, id);
            MultiplyAdd(direction, step, id, id);
        }

        var columns = features.RowColumns(row);
        var values = features.RowValues(row);
        for (var j = 0; j < columns.Length; j++)
        {
            var e = featureEmbeddings.AsSpan(columns[j] * k, k);
            Multiply(e, 1 - decay, e);
            MultiplyAdd(direction, step * values[j], e, e);
        }
    }
}
