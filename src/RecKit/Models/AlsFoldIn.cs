using RecKit.Kernels;

namespace RecKit.Models;

/// <summary>
/// Factors for users who were not in training, from the items they interacted with, solved exactly against a trained
/// ALS model's item factors (Cholesky) without retraining. The shared Gram matrix YᵀY + λI is computed once here, so
/// each new user costs one k×k solve over their own items rather than a pass over the whole catalogue.
/// Safe to use from several threads at once.
/// </summary>
public sealed class AlsFoldIn
{
    private readonly LatentFactorModel _model;
    private readonly AlsOptions _options;
    private readonly float[] _itemFactors;
    private readonly float[] _gram;

    /// <param name="options">The options the model was trained with (α, λ and whether values count).</param>
    public AlsFoldIn(LatentFactorModel model, AlsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _options = options ?? new AlsOptions();
        _itemFactors = model.AllItemFactors.ToArray();
        _gram = WeightedGramSolver.Gram(_itemFactors, model.Factors, (float)_options.Regularization);
    }

    /// <summary>The new user's factors (values are ratings or counts; empty means 1 each).</summary>
    public float[] Solve(ReadOnlySpan<int> items, ReadOnlySpan<float> values = default)
    {
        var k = _model.Factors;
        foreach (var item in items)
        {
            if ((uint)item >= (uint)_model.ItemCount)
            {
                throw new ArgumentOutOfRangeException(nameof(items), $"Item index {item} is outside 0..{_model.ItemCount - 1}.");
            }
        }

        if (!values.IsEmpty && values.Length != items.Length)
        {
            throw new ArgumentException($"{values.Length} values for {items.Length} items.", nameof(values));
        }

        var x = new float[k];
        if (!WeightedGramSolver.Exact(_gram, _itemFactors, items, _options.ConfidenceOf(values), x, new float[(k * k) + (2 * k)], out _))
        {
            throw new InvalidOperationException("The fold-in system is not positive definite (regularisation 0 with too few items?).");
        }

        return x;
    }
}
