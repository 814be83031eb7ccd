using System.Diagnostics;
using System.Globalization;
using RecKit.Data;
using RecKit.Data.Splits;
using RecKit.Evaluation;
using RecKit.Models;

namespace RecKit.Bench;

/// <summary>
/// 5-fold cross-validated RMSE on MovieLens 100K (seeded folds) for the bias baseline and explicit MF.
/// Args: PATH-TO-ml-100k [foldseed=N] [key=value MF options: factors, epochs, lr, decay, reg, biasreg, std, svdpp=true, threads, seed].
/// </summary>
internal static class CrossValidationBench
{
    public static int Run(string[] args)
    {
        var path = args.Length > 0 ? args[0] : Path.Combine("..", "shared", "data", "ml-100k");
        var options = new MatrixFactorizationOptions();
        var foldSeed = 42;
        foreach (var pair in args.Skip(1).Select(a => a.Split('=')))
        {
            if (pair[0] == "foldseed")
            {
                foldSeed = int.Parse(pair[1], CultureInfo.InvariantCulture);
                continue;
            }

            var value = double.Parse(pair[1] == "true" ? "1" : pair[1] == "false" ? "0" : pair[1], CultureInfo.InvariantCulture);
            options = pair[0] switch
            {
                "factors" => options with { Factors = (int)value },
                "epochs" => options with { Epochs = (int)value },
                "lr" => options with { LearningRate = value },
                "decay" => options with { LearningRateDecay = value },
                "reg" => options with { Regularization = value },
                "biasreg" => options with { BiasRegularization = value },
                "std" => options with { InitStd = value },
                "svdpp" => options with { UseImplicitTerm = value != 0 },
                "threads" => options with { Threads = (int)value },
                "seed" => options with { Seed = (int)value },
                _ => throw new ArgumentException($"unknown option {pair[0]}"),
            };
        }

        var data = MovieLens.Load100kRatings(path).Interactions;
        var folds = Splitter.KFold(data, 5, foldSeed);
        Console.WriteLine($"ml-100k, 5 folds (fold seed {foldSeed}); MF options: {options}");
        var bias = new List<double>();
        var mf = new List<double>();
        var seconds = new List<double>();
        for (var f = 0; f < folds.Count; f++)
        {
            var split = folds[f];
            var evaluation = new EvaluationOptions { Ks = [10], ComputeAuc = false, RelevanceThreshold = 4f };
            bias.Add(Evaluator.Evaluate(new BiasTrainer().Fit(split.Train), split.Train, split.Test, evaluation)["RMSE"]);
            var clock = Stopwatch.StartNew();
            var model = new MatrixFactorizationTrainer(options).Fit(split.Train);
            seconds.Add(clock.Elapsed.TotalSeconds);
            mf.Add(Evaluator.Evaluate(model, split.Train, split.Test, evaluation)["RMSE"]);
            Console.WriteLine($"fold {f + 1}: bias RMSE {bias[^1]:F4}  {model.Algorithm} RMSE {mf[^1]:F4}  fit {seconds[^1]:F2}s ({split.Train.Count * (double)options.Epochs / seconds[^1] / 1e6:F2} M ratings/s)");
        }

        Console.WriteLine($"mean over 5 folds: bias RMSE {bias.Average():F4}; {(options.UseImplicitTerm ? "svd++" : "mf")} RMSE {mf.Average():F4}; mean fit {seconds.Average():F2}s");
        return 0;
    }
}
