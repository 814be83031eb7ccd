namespace RecKit.Models;

/// <summary>A model that can say which items are most like a given item ("people who liked X also liked...").</summary>
public interface ISimilarItems
{
    /// <summary>Up to k items most similar to <paramref name="item"/> (itself excluded), best first, with their similarities.</summary>
    (int[] Items, float[] Similarities) SimilarItems(int item, int k);
}
