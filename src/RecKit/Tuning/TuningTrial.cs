using System.Text.Json.Nodes;

namespace RecKit.Tuning;

/// <summary>
/// One evaluation of one candidate: its options, the share of the full budget it was given (successive halving gives
/// the best a larger share), the validation score and the seconds it took.
/// </summary>
public sealed record TuningTrial(int Candidate, JsonObject Options, double Budget, double Score, double Seconds);
