namespace RecKit.Ranking;

/// <summary>Scores every candidate alike, so a stack built on it ranks its candidates by item index: a baseline, not a model.</summary>
internal sealed class ConstantMetaModel : IMetaModel
{
    public string Name => "CandidatesByIndex";

    public IReadOnlyList<(string Feature, double Importance)> Importances => [];

    public float[] Predict(float[] rows, int count) => new float[count];
}
