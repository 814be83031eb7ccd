namespace RecKit.Ranking;

/// <summary>A fitted meta model: scores feature rows (row-major, <c>count</c> × features); higher ranks first.</summary>
public interface IMetaModel
{
    string Name { get; }

    float[] Predict(float[] rows, int count);

    /// <summary>What drives the scores, per feature (gain for trees, |standardised coefficient| for linear models).</summary>
    IReadOnlyList<(string Feature, double Importance)> Importances { get; }
}
