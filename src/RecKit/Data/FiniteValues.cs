using System.Numerics;
using System.Numerics.Tensors;

namespace RecKit.Data;

/// <summary>Whether every value is a finite number: the one check for NaN and infinity on data, parameters and files.</summary>
public static class FiniteValues
{
    /// <summary>True when no value is NaN or infinite (TensorPrimitives.IsFiniteAll answers false for an empty span; this answers true).</summary>
    public static bool All<T>(ReadOnlySpan<T> values)
        where T : IFloatingPointIeee754<T> =>
        values.IsEmpty || TensorPrimitives.IsFiniteAll(values);
}
